//===- CompilerTest.cpp - unit tests of kiln's C++ utilities --------------===//

#include "Kiln/IR/KilnOps.h"
#include "kiln/Frontend/ONNX.h"
#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::kiln;

namespace {

constexpr const char *kRelu = R"(
<ir_version: 8, opset_import: ["" : 17]>
g (float[1,3] X) => (float[1,3] Y) { Y = Relu(X) }
)";

class CompilerTest : public ::testing::Test {
protected:
  CompilerTest() {
    DialectRegistry registry;
    registerKilnDialects(registry);
    registry.insert<func::FuncDialect>();
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
  }
  /// Imports `text`, collecting error messages instead of printing them.
  OwningOpRef<ModuleOp> import(StringRef text) {
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
      errors += d.str() + "\n";
      return success();
    });
    return importONNXBuffer(text, "test.onnxtxt", &ctx);
  }
  MLIRContext ctx;
  std::string errors;
};

TEST(Broadcast, NumpyRules) {
  SmallVector<int64_t> r;
  ASSERT_TRUE(succeeded(broadcastShapes({2, 1, 3}, {4, 1}, r)));
  EXPECT_EQ(r, (SmallVector<int64_t>{2, 4, 3}));
  ASSERT_TRUE(succeeded(broadcastShapes({}, {5}, r)));
  EXPECT_EQ(r, (SmallVector<int64_t>{5}));
  EXPECT_TRUE(failed(broadcastShapes({2, 3}, {4}, r)));
}

TEST(Phases, ParseAndPrint) {
  for (StringRef name : {"import", "graph", "precision", "layout", "fusion",
                         "lower", "codegen", "llvm", "object", "library"}) {
    auto phase = parsePhase(name);
    ASSERT_TRUE(phase.has_value()) << name.str();
    EXPECT_EQ(phaseName(*phase), name);
  }
  EXPECT_FALSE(parsePhase("bogus").has_value());
  EXPECT_NE(phaseList().find("codegen"), std::string::npos);
}

TEST(Identifiers, Sanitize) {
  EXPECT_EQ(sanitizeIdentifier("resnet-18"), "resnet_18");
  EXPECT_EQ(sanitizeIdentifier("18layers"), "m_18layers");
  EXPECT_EQ(sanitizeIdentifier(""), "m_");
}

TEST_F(CompilerTest, ImportsTextModel) {
  auto module = import(kRelu);
  ASSERT_TRUE(module) << errors;
  int relus = 0;
  module->walk([&](ReluOp) { ++relus; });
  EXPECT_EQ(relus, 1);
}

TEST_F(CompilerTest, RejectsGarbage) {
  EXPECT_FALSE(import("this is not a model"));
  EXPECT_NE(errors.find("cannot parse"), std::string::npos) << errors;
}

TEST_F(CompilerTest, UnsupportedOpNamesNode) {
  auto module = import(R"(
<ir_version: 8, opset_import: ["" : 17]>
g (float[4] X) => (float[4] Y) { Y = Bernoulli(X) }
)");
  EXPECT_FALSE(module);
  EXPECT_NE(errors.find("(Bernoulli, opset 17): unsupported operator"),
            std::string::npos)
      << errors;
}

TEST_F(CompilerTest, SignatureAndHeader) {
  auto module = import(kRelu);
  ASSERT_TRUE(module) << errors;
  FailureOr<ModelSignature> sig = getModelSignature(*module, "tiny");
  ASSERT_TRUE(succeeded(sig));
  ASSERT_EQ(sig->inputs.size(), 1u);
  EXPECT_EQ(sig->inputs[0].name, "X");
  EXPECT_EQ(sig->inputs[0].dtype, 1);
  EXPECT_EQ(sig->outputs[0].shape, (SmallVector<int64_t>{1, 3}));
  std::string header = generateHeader(*sig);
  EXPECT_NE(header.find("static inline kiln_status_t tiny_run(kiln_session_t "
                        "*session, const float *X, float *Y)"),
            std::string::npos)
      << header;
  EXPECT_NE(header.find("#define KILN_RUNTIME_H"), std::string::npos);
  EXPECT_NE(header.find("extern const kiln_model_t kiln_model_tiny;"),
            std::string::npos);
}

} // namespace
