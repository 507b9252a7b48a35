// oneDNN (2.x API, Debian's libdnnl-dev) peer of the Kiln micro-benchmarks:
// times one f32 matmul or 2-D convolution (batch 1) with the weights laid out
// as oneDNN prefers and re-ordered once before timing (the way an inference
// engine keeps constant weights), then prints one JSON line with the median
// time.
//
//   dnnl_bench matmul M N K RUNS
//   dnnl_bench conv C F H W KH KW STRIDE PAD RUNS
//
// Threads come from OMP_NUM_THREADS (Debian's oneDNN uses OpenMP).
#include <dnnl.hpp>

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

double medianMs(const std::function<void()> &run, int runs, stream &s) {
  for (int i = 0; i < std::max(1, runs / 10); ++i)
    run();
  s.wait();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    s.wait();
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

memory filled(const memory::desc &md, engine &eng, float v) {
  memory m(md, eng);
  float *p = static_cast<float *>(m.get_data_handle());
  std::fill(p, p + md.get_size() / sizeof(float), v);
  return m;
}

int usage() {
  std::fprintf(stderr,
               "usage: dnnl_bench matmul M N K RUNS\n"
               "       dnnl_bench conv C F H W KH KW STRIDE PAD RUNS\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return usage();
  std::string kind = argv[1];
  std::vector<long> a;
  for (int i = 2; i < argc; ++i)
    a.push_back(std::atol(argv[i]));
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  double flops = 0, ms = 0;
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
    ms = medianMs([&] { prim.execute(s, args); }, runs, s);
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
    ms = medianMs(
        [&] {
          toBlocked.execute(s, srcM, srcB);
          prim.execute(s, args);
          fromBlocked.execute(s, dstB, dstM);
        },
        runs, s);
    flops = 2.0 * F * OH * OW * C * KH * KW;
  } else {
    return usage();
  }
  std::printf("{\"median_ms\": %.5f, \"gflops\": %.2f}\n", ms,
              flops / ms / 1e6);
  return 0;
}
