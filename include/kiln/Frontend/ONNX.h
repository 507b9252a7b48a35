//===- ONNX.h - ONNX model importer -----------------------------*- C++ -*-===//

#ifndef KILN_FRONTEND_ONNX_H
#define KILN_FRONTEND_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::kiln {

/// Attribute names the importer puts on the entry function's arguments and
/// results: the ONNX graph's input/output names.
constexpr llvm::StringLiteral kNameAttr = "kiln.name";
/// Name of the entry function of an imported model.
constexpr llvm::StringLiteral kEntryName = "main";

/// Imports an ONNX model (binary protobuf, or the ONNX text format; chosen by
/// content) into a module holding one `func.func @main` of kiln ops. The
/// model is checked and shape-inferred with libonnx first. Errors are
/// reported through the context's diagnostic engine, naming the ONNX node;
/// returns null on failure.
OwningOpRef<ModuleOp> importONNXFile(llvm::StringRef path, MLIRContext *ctx);
OwningOpRef<ModuleOp> importONNXBuffer(llvm::StringRef buffer,
                                       llvm::StringRef sourceName,
                                       MLIRContext *ctx);

} // namespace mlir::kiln

#endif // KILN_FRONTEND_ONNX_H
