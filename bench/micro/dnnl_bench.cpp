// oneDNN (2.x API, Debian's libdnnl-dev) peer of the Kiln micro-benchmarks:
// times one f32 matmul or 2-D convolution (batch 1) with the weights laid out
// as oneDNN prefers and re-ordered once before timing (the way an inference
// engine keeps constant weights), then prints one JSON line with the median
// time.
//
//   dnnl_bench [--kiln LIB] matmul M N K RUNS
//   dnnl_bench [--kiln LIB] conv C F H W KH KW STRIDE PAD RUNS
//
// With --kiln, the Kiln model library LIB (the same shape, compiled by
// kiln-compile) runs in the same process, alternating with oneDNN in short
// blocks of runs; the JSON line then also has Kiln's median and the median
// of the per-block time ratios Kiln/oneDNN. Blocks taken milliseconds apart
// see the same machine, so their ratio holds through the slow phases of a
// shared VM that make separate rounds disagree by 20%.
//
// Threads come from OMP_NUM_THREADS (Debian's oneDNN uses OpenMP), and are
// Kiln's session threads too.
#include <dnnl.hpp>

#include "kiln/runtime.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// Milliseconds `run` took (`s` drained).
double timeMs(const std::function<void()> &run, stream &s) {
  auto start = std::chrono::steady_clock::now();
  run();
  s.wait();
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

/// A Kiln model library loaded with dlopen, with a session and buffers for
/// its inputs and outputs (each library carries its own runtime).
struct KilnModel {
  using Create = kiln_status_t (*)(const kiln_model_t *,
                                   const kiln_session_options_t *,
                                   kiln_session_t **);
  using Run = kiln_status_t (*)(kiln_session_t *, const kiln_tensor_t *, size_t,
                                const kiln_tensor_t *, size_t);
  Run run = nullptr;
  kiln_session_t *session = nullptr;
  std::vector<std::vector<float>> data;
  std::vector<kiln_tensor_t> inputs, outputs;

  /// Loads `path`; prints why and returns false on failure.
  bool load(const char *path, int threads) {
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      std::fprintf(stderr, "dnnl_bench: %s\n", dlerror());
      return false;
    }
    auto *model = static_cast<const kiln_model_t *>(
        dlsym(lib, KILN_LIBRARY_MODEL_SYMBOL));
    auto create = reinterpret_cast<Create>(dlsym(lib, "kiln_session_create"));
    run = reinterpret_cast<Run>(dlsym(lib, "kiln_session_run"));
    if (!model || !create || !run) {
      std::fprintf(stderr, "dnnl_bench: %s is not a Kiln model library\n",
                   path);
      return false;
    }
    kiln_session_options_t options = {};
    options.num_threads = threads;
    if (create(model, &options, &session)) {
      std::fprintf(stderr, "dnnl_bench: %s: cannot create a session\n", path);
      return false;
    }
    auto bind = [&](const kiln_tensor_desc_t *descs, int n,
                    std::vector<kiln_tensor_t> &out) {
      for (int i = 0; i < n; ++i) {
        if (descs[i].dtype != KILN_DTYPE_F32) {
          std::fprintf(stderr, "dnnl_bench: %s: '%s' is not f32\n", path,
                       descs[i].name);
          return false;
        }
        size_t count = 1;
        for (int d = 0; d < descs[i].rank; ++d)
          count *= descs[i].shape[d];
        data.emplace_back(count, 0.5f);
        out.push_back({descs[i].dtype, descs[i].rank, descs[i].shape,
                       data.back().data()});
      }
      return true;
    };
    data.reserve(model->num_inputs + model->num_outputs);
    if (!bind(model->inputs, model->num_inputs, inputs) ||
        !bind(model->outputs, model->num_outputs, outputs))
      return false;
    // One run now: a library that cannot run these buffers is an error, not
    // a time.
    if (!(*this)()) {
      std::fprintf(stderr, "dnnl_bench: %s: the run failed\n", path);
      return false;
    }
    return true;
  }

  /// Runs the model once; false if the runtime refused.
  bool operator()() {
    return run(session, inputs.data(), inputs.size(), outputs.data(),
               outputs.size()) == nullptr;
  }
};

struct Times {
  double dnnlMs, kilnMs = 0, pairedRatio = 0;
};

/// Median times of `run` and, given `kiln`, of the two alternating in
/// blocks of runs back to back (with the median of the per-block ratios).
/// The runs in a block's first 10 ms are not counted: the other library's
/// threads still spin for a while after its block (Kiln's pool 2 ms,
/// libgomp's longer; with 2 runs skipped, a 1 ms conv often ran with one
/// thread), and sleeping them off instead lets an idle VM's CPUs slow down.
Times measure(const std::function<void()> &run, int runs, stream &s,
              KilnModel *kiln) {
  constexpr int kBlock = 6, kSkip = 2;
  for (int i = 0; i < std::max(1, runs / 10); ++i) {
    run();
    if (kiln)
      (*kiln)();
  }
  s.wait();
  std::vector<double> d, k, ratio;
  if (!kiln) {
    for (int i = 0; i < runs; ++i)
      d.push_back(timeMs(run, s));
    return {median(d)};
  }
  // A block runs one library at least kBlock times and kBlockMs; runs that
  // start within its first kSkip runs or kSkipMs are not counted.
  constexpr double kBlockMs = 30, kSkipMs = 10;
  auto block = [&](const std::function<void()> &fn) {
    std::vector<double> kept;
    auto start = std::chrono::steady_clock::now();
    auto since = [&] {
      return std::chrono::duration<double, std::milli>(
                 std::chrono::steady_clock::now() - start)
          .count();
    };
    for (int i = 0;; ++i) {
      double at = since();
      double ms = timeMs(fn, s);
      if (i >= kSkip && at >= kSkipMs)
        kept.push_back(ms);
      if (i + 1 >= kBlock && kept.size() >= size_t(kBlock - kSkip) &&
          since() >= kBlockMs)
        return kept;
    }
  };
  for (int b = 0; b < std::max(1, runs / (kBlock - kSkip)); ++b) {
    std::vector<double> db = block(run), kb = block(*kiln);
    d.insert(d.end(), db.begin(), db.end());
    k.insert(k.end(), kb.begin(), kb.end());
    ratio.push_back(median(kb) / median(db));
  }
  return {median(d), median(k), median(ratio)};
}

memory filled(const memory::desc &md, engine &eng, float v) {
  memory m(md, eng);
  float *p = static_cast<float *>(m.get_data_handle());
  std::fill(p, p + md.get_size() / sizeof(float), v);
  return m;
}

int usage() {
  std::fprintf(stderr,
               "usage: dnnl_bench [--kiln LIB] matmul M N K RUNS\n"
               "       dnnl_bench [--kiln LIB] conv C F H W KH KW STRIDE PAD "
               "RUNS\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  int arg = 1;
  KilnModel kilnModel;
  KilnModel *kiln = nullptr;
  if (argc > 2 && std::string(argv[1]) == "--kiln") {
    const char *threads = std::getenv("OMP_NUM_THREADS");
    if (!kilnModel.load(argv[2], threads ? std::atoi(threads) : 0))
      return 1;
    kiln = &kilnModel;
    arg = 3;
  }
  if (argc <= arg)
    return usage();
  std::string kind = argv[arg];
  std::vector<long> a;
  for (int i = arg + 1; i < argc; ++i)
    a.push_back(std::atol(argv[i]));
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  double flops = 0;
  Times t{0};
  if (kind == "matmul" && a.size() == 4) {
    memory::dim M = a[0], N = a[1], K = a[2];
    int runs = int(a[3]);
    memory::desc src({M, K}, dt::f32, tag::ab), dst({M, N}, dt::f32, tag::ab);
    memory::desc wAny({K, N}, dt::f32, tag::any);
    matmul::primitive_desc pd(matmul::desc(src, wAny, dst), eng);
    memory srcM = filled(src, eng, 0.5f), dstM(dst, eng);
    memory wPlain = filled(memory::desc({K, N}, dt::f32, tag::ab), eng, 0.25f);
    memory wM(pd.weights_desc(), eng);
    reorder(wPlain, wM).execute(s, wPlain, wM);
    matmul prim(pd);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, srcM}, {DNNL_ARG_WEIGHTS, wM}, {DNNL_ARG_DST, dstM}};
    t = measure([&] { prim.execute(s, args); }, runs, s, kiln);
    flops = 2.0 * M * N * K;
  } else if (kind == "conv" && a.size() == 9) {
    memory::dim C = a[0], F = a[1], H = a[2], W = a[3], KH = a[4], KW = a[5],
                S = a[6], P = a[7];
    int runs = int(a[8]);
    memory::dim OH = (H + 2 * P - KH) / S + 1, OW = (W + 2 * P - KW) / S + 1;
    // The model's tensors are NCHW; oneDNN picks its blocked layouts for the
    // convolution and the input/output reorders are part of the timed run.
    memory::desc srcPlain({1, C, H, W}, dt::f32, tag::nchw),
        dstPlain({1, F, OH, OW}, dt::f32, tag::nchw);
    memory::desc srcAny({1, C, H, W}, dt::f32, tag::any),
        wAny({F, C, KH, KW}, dt::f32, tag::any), bias({F}, dt::f32, tag::a),
        dstAny({1, F, OH, OW}, dt::f32, tag::any);
    convolution_forward::primitive_desc pd(
        convolution_forward::desc(prop_kind::forward_inference,
                                  algorithm::convolution_direct, srcAny, wAny,
                                  bias, dstAny, {S, S}, {P, P}, {P, P}),
        eng);
    memory srcM = filled(srcPlain, eng, 0.5f), dstM(dstPlain, eng);
    memory srcB(pd.src_desc(), eng), dstB(pd.dst_desc(), eng);
    memory wPlain =
        filled(memory::desc({F, C, KH, KW}, dt::f32, tag::oihw), eng, 0.01f);
    memory wM(pd.weights_desc(), eng), biasM = filled(bias, eng, 0.1f);
    reorder(wPlain, wM).execute(s, wPlain, wM);
    convolution_forward prim(pd);
    reorder toBlocked(srcM, srcB), fromBlocked(dstB, dstM);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, srcB},
                                         {DNNL_ARG_WEIGHTS, wM},
                                         {DNNL_ARG_BIAS, biasM},
                                         {DNNL_ARG_DST, dstB}};
    t = measure(
        [&] {
          toBlocked.execute(s, srcM, srcB);
          prim.execute(s, args);
          fromBlocked.execute(s, dstB, dstM);
        },
        runs, s, kiln);
    flops = 2.0 * F * OH * OW * C * KH * KW;
  } else {
    return usage();
  }
  std::printf("{\"median_ms\": %.5f, \"gflops\": %.2f", t.dnnlMs,
              flops / t.dnnlMs / 1e6);
  if (kiln)
    std::printf(", \"kiln_median_ms\": %.5f, \"kiln_gflops\": %.2f, "
                "\"paired_ratio\": %.4f",
                t.kilnMs, flops / t.kilnMs / 1e6, t.pairedRatio);
  std::printf("}\n");
  return 0;
}
