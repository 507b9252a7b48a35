//===- KilnPlugin.cpp - kiln as an mlir-opt dialect and pass plugin -------===//
//
//   mlir-opt --load-dialect-plugin=KilnPlugin.so \
//            --load-pass-plugin=KilnPlugin.so --kiln-cpu-pipeline model.mlir
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAll.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Kiln", LLVM_VERSION_STRING,
          [](::mlir::DialectRegistry *registry) {
            ::mlir::kiln::registerKilnDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Kiln", LLVM_VERSION_STRING,
          []() { ::mlir::kiln::registerKilnPasses(); }};
}
