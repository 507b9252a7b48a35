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

#endif // KILN_CODEGEN_PASSES
