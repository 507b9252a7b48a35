// KilnPlugin.so in Debian's own mlir-opt: the dialect parses, and kiln passes
// and pipelines run there next to upstream ones.
// RUN: %mlir_opt --load-dialect-plugin=%kiln_plugin %s | FileCheck %s --check-prefix=PARSE
// RUN: %mlir_opt --load-dialect-plugin=%kiln_plugin --load-pass-plugin=%kiln_plugin %s \
// RUN:   --pass-pipeline="builtin.module(kiln-fold-batch-norm,convert-kiln-to-linalg,canonicalize)" \
// RUN:   | FileCheck %s --check-prefix=LOWER
// RUN: %mlir_opt --load-dialect-plugin=%kiln_plugin --load-pass-plugin=%kiln_plugin %s \
// RUN:   --pass-pipeline="builtin.module(kiln-cpu-pipeline)" | FileCheck %s --check-prefix=LLVM
// Without the pass plugin the kiln passes are unknown.
// RUN: not %mlir_opt --load-dialect-plugin=%kiln_plugin %s \
// RUN:   --pass-pipeline="builtin.module(convert-kiln-to-linalg)" 2>&1 | FileCheck %s --check-prefix=NOPASS

// PARSE-LABEL: func @main
// PARSE: kiln.gemm
// PARSE: kiln.batch_norm
// PARSE: kiln.relu

// LOWER-LABEL: func @main
// LOWER-NOT: kiln.
// LOWER: linalg.matmul
// LOWER-NOT: kiln.

// LLVM: llvm.func @main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// LLVM-NOT: linalg.

// NOPASS: 'convert-kiln-to-linalg' does not refer to a registered pass

func.func @main(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = kiln.constant dense<0.5> : tensor<3x4xf32>
  %b = kiln.constant dense<1.0> : tensor<4xf32>
  %g = kiln.gemm %x, %w, %b : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %s = kiln.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %z = kiln.constant dense<0.0> : tensor<4xf32>
  %v = kiln.constant dense<1.0> : tensor<4xf32>
  %n = kiln.batch_norm %g, %s, %z, %z, %v : tensor<2x4xf32>, tensor<4xf32>
  %r = kiln.relu %n : tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}
