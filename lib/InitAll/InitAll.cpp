//===- InitAll.cpp - register everything kiln provides --------------------===//

#include "kiln/InitAll.h"

#include "Kiln/IR/KilnOps.h"
#include "Kiln/Transforms/Passes.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Pipelines/Pipelines.h"

void mlir::kiln::registerKilnDialects(DialectRegistry &registry) {
  registry.insert<KilnDialect>();
}

void mlir::kiln::registerKilnPasses() {
  registerKilnTransformsPasses();
  registerKilnConversionPasses();
  registerKilnCodegenPasses();
  registerKilnPipelines();
}
