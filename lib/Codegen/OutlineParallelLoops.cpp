//===- OutlineParallelLoops.cpp - scf.forall -> runtime thread pool -------===//
//
// Each top-level 1-D scf.forall (on buffers) becomes a private function
// `kiln_par_N(captures..., begin, end)` that runs iterations [begin, end),
// and a call of it over the whole range. The LLVM phase (lib/Target) turns
// that call into kiln_parallel_for on the session's thread pool, so model
// libraries need no OpenMP. Strided views with constant offsets (pooling
// windows) are rebuilt inside from the buffer they view. A forall whose
// captures do not fit the bare-pointer convention runs sequentially
// instead.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

/// Values the outlined function can take as arguments: identity-layout
/// static memrefs (bare pointers) and scalars.
bool isPassable(Value v) {
  if (auto m = dyn_cast<MemRefType>(v.getType()))
    return m.hasStaticShape() && m.getLayout().isIdentity();
  return v.getType().isIntOrIndexOrFloat();
}

/// The value a capture can be rebuilt from inside the outlined function:
/// `v` itself when passable, else -- for a strided view such as a pooling
/// window's subview -- the passable buffer it views through view-like ops
/// whose other operands are constants, which are cloned into the body.
Value passableRoot(Value v) {
  while (!isPassable(v)) {
    Operation *def = v.getDefiningOp();
    auto view = dyn_cast_or_null<ViewLikeOpInterface>(def);
    if (!view || def->getNumResults() != 1 ||
        llvm::any_of(def->getOperands(), [&](Value operand) {
          return operand != view.getViewSource() &&
                 !matchPattern(operand, m_Constant());
        }))
      return nullptr;
    v = view.getViewSource();
  }
  return v;
}

/// Replaces a forall by sequential loops (same iterations, in order).
void serialize(OpBuilder &b, scf::ForallOp forall) {
  b.setInsertionPoint(forall);
  SmallVector<Value> lbs = forall.getLowerBound(b),
                     ubs = forall.getUpperBound(b), steps = forall.getStep(b);
  IRMapping map;
  Block *body = forall.getBody();
  OpBuilder::InsertionGuard guard(b);
  for (auto [i, iv] : llvm::enumerate(forall.getInductionVars())) {
    auto loop =
        scf::ForOp::create(b, forall.getLoc(), lbs[i], ubs[i], steps[i]);
    map.map(iv, loop.getInductionVar());
    b.setInsertionPoint(loop.getBody()->getTerminator());
  }
  for (Operation &op : body->without_terminator())
    b.clone(op, map);
  forall.erase();
}

struct OutlineParallelLoopsPass
    : kiln::impl::OutlineParallelLoopsPassBase<OutlineParallelLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder b(module.getContext());
    int counter = 0;
    SmallVector<scf::ForallOp> foralls;
    module.walk([&](scf::ForallOp f) {
      if (!f->getParentOfType<scf::ForallOp>())
        foralls.push_back(f);
    });
    for (scf::ForallOp forall : foralls) {
      if (!forall.getOutputs().empty()) {
        forall.emitError("expected a bufferized scf.forall");
        return signalPassFailure();
      }
      SetVector<Value> captured;
      getUsedValuesDefinedAbove(forall.getRegion(), captured);
      // Constants are cloned into the body rather than passed.
      SetVector<Value> args;
      bool passable = true;
      for (Value v : captured) {
        if (matchPattern(v, m_Constant()))
          continue;
        Value root = passableRoot(v);
        passable &= root != nullptr;
        if (root)
          args.insert(root);
      }
      bool isStatic = forall.getRank() == 1 &&
                      !ShapedType::isDynamic(forall.getStaticLowerBound()[0]) &&
                      !ShapedType::isDynamic(forall.getStaticUpperBound()[0]) &&
                      !ShapedType::isDynamic(forall.getStaticStep()[0]);
      if (!isStatic || !passable) {
        serialize(b, forall);
        continue;
      }
      outline(b, forall, args.getArrayRef(), counter++);
    }
  }

  void outline(OpBuilder &b, scf::ForallOp forall, ArrayRef<Value> args,
               int id) {
    Location loc = forall.getLoc();
    auto parent = forall->getParentOfType<func::FuncOp>();
    SmallVector<Type> types = llvm::to_vector(
        llvm::map_range(args, [](Value v) { return v.getType(); }));
    types.append(2, b.getIndexType());
    b.setInsertionPoint(parent);
    auto fn = func::FuncOp::create(
        b, loc, (kiln::kParallelBodyPrefix + Twine(id)).str(),
        b.getFunctionType(types, {}));
    fn.setPrivate();
    Block *entry = fn.addEntryBlock();
    b.setInsertionPointToStart(entry);
    IRMapping map;
    for (auto [i, v] : llvm::enumerate(args))
      map.map(v, entry->getArgument(i));
    Value begin = entry->getArgument(args.size());
    Value end = entry->getArgument(args.size() + 1);
    // Iteration i of [begin, end) is induction value lb + i * step.
    int64_t lb = forall.getStaticLowerBound()[0];
    int64_t step = forall.getStaticStep()[0];
    int64_t ub = forall.getStaticUpperBound()[0];
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(b, loc, begin, end, one);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value iv = arith::AddIOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, lb),
        arith::MulIOp::create(b, loc, loop.getInductionVar(),
                              arith::ConstantIndexOp::create(b, loc, step)));
    map.map(forall.getInductionVars()[0], iv);
    SetVector<Value> captured;
    getUsedValuesDefinedAbove(forall.getRegion(), captured);
    // Constants and the views of passed buffers are rebuilt in the body.
    std::function<Value(Value)> rebuild = [&](Value v) -> Value {
      if (Value m = map.lookupOrNull(v))
        return m;
      Operation *def = v.getDefiningOp();
      for (Value operand : def->getOperands())
        rebuild(operand);
      return b.clone(*def, map)->getResult(0);
    };
    for (Value v : captured)
      rebuild(v);
    for (Operation &op : forall.getBody()->without_terminator())
      b.clone(op, map);
    b.setInsertionPointToEnd(entry);
    func::ReturnOp::create(b, loc);

    // The call over all iterations; lib/Target dispatches it to threads.
    b.setInsertionPoint(forall);
    Value count =
        arith::ConstantIndexOp::create(b, loc, llvm::divideCeil(ub - lb, step));
    SmallVector<Value> operands(args);
    operands.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    operands.push_back(count);
    func::CallOp::create(b, loc, fn, operands);
    forall.erase();
  }
};

} // namespace
