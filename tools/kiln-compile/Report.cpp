//===- Report.cpp - kiln-compile --report ---------------------------------===//

#include "Report.h"

#include "Kiln/Transforms/KernelInfo.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace mlir::kiln;

/// How the anchor's operands are laid out in memory.
static std::string layoutOf(Operation *anchor) {
  return llvm::TypeSwitch<Operation *, std::string>(anchor)
      .Case([](ConvOp conv) -> std::string {
        auto in = conv.getInput().getType();
        if (in.getRank() != 4)
          return "NC...";
        int64_t c = in.getDimSize(conv.getChannelDim()), g = conv.getGroup();
        std::string data = conv.getChannelsLast() ? "NHWC" : "NCHW";
        if (g > 1 && g == c)
          return data + " depthwise";
        if (g > 1)
          return data + " g=" + std::to_string(g);
        return data + (conv.getChannelsLast() ? " x HWCF" : " x FCHW");
      })
      .Case([](GemmOp gemm) -> std::string {
        std::string a = gemm.getTransA() ? "A[K,M]" : "A[M,K]";
        std::string b = gemm.getTransB() ? "B[N,K]" : "B[K,N]";
        return a + " x " + b;
      })
      .Case<MaxPoolOp, AvgPoolOp>([](auto pool) {
        return std::string(pool.getChannelsLast() ? "NHWC" : "NCHW");
      })
      .Default([](Operation *) { return std::string("row-major"); });
}

void mlir::kiln::collectKernels(ModuleOp module, CompileReport &report) {
  module.walk([&](FusionOp fusion) {
    KernelReport k;
    k.name = fusion.getName().str();
    Operation *anchor = nullptr;
    for (Operation &op : fusion.getBody().front().without_terminator()) {
      collectNodeNames(op.getLoc(), k.fuses);
      k.flops += estimateFlops(&op);
      if (!anchor && op.getName().getStringRef() == fusion.getAnchor())
        anchor = &op;
    }
    StringRef anchorName = fusion.getAnchor();
    anchorName.consume_front("kiln.");
    k.anchor = anchorName.str();
    k.layout = anchor ? layoutOf(anchor) : "row-major";
    report.kernels.push_back(std::move(k));
  });
}

void mlir::kiln::collectCodegen(ModuleOp module, CompileReport &report) {
  auto i64 = [&](StringRef name) -> int64_t {
    auto a = module->getAttrOfType<IntegerAttr>(name);
    return a ? a.getInt() : 0;
  };
  report.planned = module->hasAttr(kArenaSizeAttr);
  report.arenaBytes = i64(kArenaSizeAttr);
  report.unsharedBytes = i64("kiln.arena_unshared_size");
  report.arenaBuffers = i64("kiln.arena_buffers");
  llvm::StringMap<std::string> tiles;
  module.walk([&](func::FuncOp func) {
    if (auto d = func->getAttrOfType<DictionaryAttr>("kiln.tiles"))
      for (NamedAttribute a : d)
        if (auto s = dyn_cast<StringAttr>(a.getValue()))
          tiles[a.getName().strref()] = s.str();
  });
  // A kernel shows the tiles of the contractions of the nodes it fuses.
  for (KernelReport &k : report.kernels)
    for (const std::string &n : k.fuses) {
      auto it = tiles.find(n);
      if (it == tiles.end())
        continue;
      k.tiles += (k.tiles.empty() ? "" : "; ") + it->second;
    }
}

/// 237.6M, 1.8M, 864: three significant digits or so.
static std::string count(int64_t n) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (n >= 1000000000)
    os << llvm::format("%.2fG", n / 1e9);
  else if (n >= 1000000)
    os << llvm::format("%.1fM", n / 1e6);
  else if (n >= 1000)
    os << llvm::format("%.1fK", n / 1e3);
  else
    os << n;
  return s;
}

static std::string bytes(uint64_t n) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (n >= (1u << 20))
    os << llvm::format("%.2f MiB", n / 1048576.0);
  else if (n >= 1024)
    os << llvm::format("%.1f KiB", n / 1024.0);
  else
    os << n << " B";
  return s;
}

void mlir::kiln::printReport(const CompileReport &r, llvm::raw_ostream &os) {
  int64_t total = 0;
  for (const KernelReport &k : r.kernels)
    total += k.flops;
  os << "model: " << r.model;
  if (!r.target.empty())
    os << " (" << r.target << ")";
  os << "\nkernels: " << r.kernels.size() << "   compute: " << count(total)
     << "FLOP\n";
  os << "weights: " << bytes(r.weightsBytes) << "   arena: ";
  if (r.planned)
    os << bytes(r.arenaBytes) << " (" << r.arenaBuffers << " buffers, "
       << bytes(r.unsharedBytes) << " without reuse)\n";
  else
    os << "not planned (codegen did not run)\n";
  size_t nameWidth = 6, anchorWidth = 6, layoutWidth = 6;
  for (const KernelReport &k : r.kernels) {
    nameWidth = std::max(nameWidth, k.name.size());
    anchorWidth = std::max(anchorWidth, k.anchor.size());
    layoutWidth = std::max(layoutWidth, k.layout.size());
  }
  nameWidth = std::min<size_t>(nameWidth, 40);
  os << llvm::format("%4s  ", "#") << llvm::left_justify("kernel", nameWidth)
     << "  " << llvm::left_justify("anchor", anchorWidth) << "  "
     << llvm::format("%7s", "FLOP") << "  "
     << llvm::left_justify("layout", layoutWidth) << "  fuses | tiles\n";
  for (auto [i, k] : llvm::enumerate(r.kernels)) {
    os << llvm::format("%4zu  ", i) << llvm::left_justify(k.name, nameWidth)
       << "  " << llvm::left_justify(k.anchor, anchorWidth) << "  "
       << llvm::format("%7s", count(k.flops).c_str()) << "  "
       << llvm::left_justify(k.layout, layoutWidth) << "  ";
    llvm::interleave(k.fuses, os, ", ");
    if (!k.tiles.empty())
      os << " | " << k.tiles;
    os << "\n";
  }
}
