//===- Passes.td - kiln codegen passes ---------------------*- tablegen -*-===//

#ifndef KILN_CODEGEN_PASSES
#define KILN_CODEGEN_PASSES

include "mlir/Pass/PassBase.td"

def PlanMemoryPass : Pass<"kiln-plan-memory", "ModuleOp"> {
  let summary = "Place every static intermediate buffer in one arena";
  let description = [{
    After bufferization, each statically shaped `memref.alloc` at the top
    level of a function gets an offset in one arena, reusing space of buffers
    whose live ranges (over all their views) have ended. The allocations
    become `memref.view`s of a new trailing `memref<Nxi8>` argument and their
    deallocations disappear, so running the model allocates nothing; the
    largest arena size is recorded as the module attribute `kiln.arena_size`.
  }];
  let dependentDialects = ["memref::MemRefDialect", "arith::ArithDialect"];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"64",
           "Byte alignment of every buffer in the arena">,
  ];
}

def ResultsToDestinationsPass : Pass<"kiln-results-to-destinations",
                                     "func::FuncOp"> {
  let summary = "Turn tensor results into caller-provided output buffers";
  let description = [{
    Each tensor result of a public function becomes a trailing
    `memref` argument (identity layout) that the result is materialized into
    with `bufferization.materialize_in_destination`; the function then
    returns nothing. One-shot bufferization computes results in place in the
    caller's buffers where it can and copies otherwise (a result that is an
    input, a constant, or returned twice).
  }];
  let dependentDialects = ["bufferization::BufferizationDialect",
                           "memref::MemRefDialect"];
}

def TileAndVectorizePass : Pass<"kiln-cpu-tile-and-vectorize",
                                "func::FuncOp"> {
  let summary = "CPU strategy: im2col convolutions, tile and vectorize "
                "contractions";
  let description = [{
    On linalg on tensors: 2-D NCHW convolutions become im2col plus a
    contraction; each static f32 contraction is tiled for the caches, then to
    a register tile of `register-rows` x `register-cols` output elements
    (the output's contiguous dimension being the vector one; tiles of
    several rows take 4 reduction steps when 4 divide the reduction block),
    and vectorized to `vector.contract`; a contraction split over threads
    takes its initial value (a fill) and its chain of elementwise consumers
    (inputs may broadcast, as a bias row does) into each thread's tile. Tile sizes
    divide the shapes, so tiles are full.
    A contraction whose rows are split (1020 + 4) gives each part its own
    tile of the initial value. NHWC and depthwise convolutions are tiled to
    vectorized 1-D ones, with their chain of elementwise consumers fused into
    each thread's tile; a register tile's channels may be 3 vectors (48 of
    96) or a vector and a half (24 = 16 + 8), whose vector ops are split into
    widths that are powers of two. The pipeline runs that stage before unit-dim
    folding, which would put reshapes between a convolution and its
    consumers.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "scf::SCFDialect",
                           "vector::VectorDialect", "tensor::TensorDialect",
                           "arith::ArithDialect", "affine::AffineDialect"];
  let options = [
    Option<"registerRows", "register-rows", "int64_t", /*default=*/"6",
           "Output rows held in registers by a tile of 4 vectors (the "
           "contraction's last rows split off when they do not divide); "
           "narrower tiles, and rows that are too few to split, keep 4">,
    Option<"registerCols", "register-cols", "int64_t", /*default=*/"0",
           "Output columns (along the vector dimension) held in registers "
           "(0: 4 vectors with 32 registers, 2 with 16)">,
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Width of the target's SIMD registers (512 AVX-512, 256 AVX2, "
           "128 SSE/NEON)">,
    Option<"vectorRegisters", "vector-registers", "int64_t",
           /*default=*/"32", "Number of the target's SIMD registers">,
    Option<"reductionTile", "reduction-tile", "int64_t", /*default=*/"0",
           "Reduction block for the caches (0: by the register tile, 128 "
           "with 4-vector rows, 256 with narrower ones of 4 rows or more)">,
    Option<"winograd", "winograd", "bool", /*default=*/"true",
           "3x3 stride-1 convolutions with constant filters (batch 1, "
           "output sides multiples of 4) as Winograd F(4x4, 3x3)">,
    Option<"stage", "stage", "std::string", /*default=*/"\"all\"",
           "What to do: 'convolutions' (NHWC and depthwise convolutions, "
           "with their elementwise consumers fused), 'contractions' (the "
           "rest), or 'all'">,
  ];
}

def ParallelizeElementwisePass : Pass<"kiln-parallelize-elementwise",
                                      "func::FuncOp"> {
  let summary = "Run the large top-level non-contraction linalg ops on "
                "threads";
  let description = [{
    After elementwise fusion: every top-level linalg op on static tensors
    that is not a contraction (elementwise chains, fills, transposes,
    pooling, normalizations) with at least `min-elements` loop iterations
    is tiled by 1 along its first parallel dimension with more than one
    iteration, as an `scf.forall` that kiln-outline-parallel-loops hands to
    the thread pool. Ops whose innermost loop every operand reads
    contiguously (elementwise, broadcasts, reductions over that loop such as
    a softmax's row max and sum) are vectorized one row at a time, large or
    not, and math.exp and math.tanh are rewritten as polynomial approximations
    (vectorizable, unlike libm calls).
  }];
  let dependentDialects = ["scf::SCFDialect", "tensor::TensorDialect",
                           "vector::VectorDialect", "math::MathDialect",
                           "arith::ArithDialect"];
  let options = [
    Option<"minElements", "min-elements", "int64_t", /*default=*/"32768",
           "Smallest iteration count worth a parallel dispatch">,
  ];
}

def UnshareInitsPass : Pass<"kiln-unshare-inits", "func::FuncOp"> {
  let summary = "Give every user of a shared fill or empty tensor its own";
  let description = [{
    Run right before bufferization: a `linalg.fill` or `tensor.empty` with
    several users (CSE merges identical ones) is cloned before each user
    after the first, so one-shot bufferization writes every destination in
    place instead of copying the shared buffer for each.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "tensor::TensorDialect"];
}

def TreeReductionsPass : Pass<"kiln-tree-reductions", "func::FuncOp"> {
  let summary = "Reduce 1-D max/min/sum vector reductions as halving trees";
  let description = [{
    A `vector.reduction` of kind maximumf, minimumf, maxnumf, minnumf or
    add over a 1-D vector of a power-of-2 length becomes log2(N)
    elementwise steps, each combining the two halves of what is left. For
    max and min the result is the same (they are associative and
    commutative, NaN and signed zeros included); a sum becomes pairwise
    summation, whose rounding error grows with log N instead of N. A
    `vector.multi_reduction` of those kinds whose
    kept dimensions all have size 1 (a vectorized row) becomes such a 1-D
    reduction first. Run before `lower-vector-multi-reduction` and the LLVM
    lowering, which both chain N dependent steps: a softmax row max over
    128 floats took ~500 cycles instead of ~30.
  }];
  let dependentDialects = ["vector::VectorDialect", "arith::ArithDialect"];
}

def PrefetchTilesPass : Pass<"kiln-prefetch-tiles", "func::FuncOp"> {
  let summary = "Software prefetch for the operands of register-tile loops";
  let description = [{
    Run on bufferized loops. For a reduction loop whose body is one
    `vector.contract` accumulating into the loop's iter_arg (a register
    tile), inside a loop over register tiles inside an outer loop (all with
    constant bounds): before the reduction loop, `memref.prefetch` brings
    into L2 this tile's share of the lines that the outer loop's next
    iteration (wrapping to its first) reads of the panel operand -- the one
    that changes with the outer loop but not with the register tiles (a
    matmul's packed weight panel). The reduction steps are split evenly over
    the register tiles. Only panels read from memrefs with static shapes
    and identity layouts.

    A register tile summed over a nest of reduction loops (a direct
    convolution's kh, kw and channel blocks) whose filter is one block
    `w[n]` (16-768 KiB) of a packed `[blocks, ...]` weight, picked by a
    loop outside the register-tile loops (constant bounds): each innermost
    reduction step prefetches into L2 its share of block `(n + step) mod
    blocks`, the block's lines split evenly over every reduction step of
    every register tile.
  }];
  let dependentDialects = ["memref::MemRefDialect", "arith::ArithDialect",
                           "affine::AffineDialect"];
}

def OutlineParallelLoopsPass : Pass<"kiln-outline-parallel-loops",
                                    "ModuleOp"> {
  let summary = "Outline bufferized scf.forall loops for the thread pool";
  let description = [{
    Each outermost 1-D scf.forall with static bounds becomes a private
    function `kiln_par_N(captures..., begin, end)` running iterations
    [begin, end) in order, called once over the whole range. The LLVM phase
    turns those calls into `kiln_parallel_for` on the session's thread pool.
    Foralls whose captured values are not static identity-layout memrefs or
    scalars become sequential scf.for loops.
  }];
  let dependentDialects = ["scf::SCFDialect", "func::FuncDialect",
                           "arith::ArithDialect"];
}

#endif // KILN_CODEGEN_PASSES
