//===- RuntimeTest.cpp - Unit tests for the Kiln C runtime ----------------===//
//
// Drives the runtime through a hand-written model descriptor (sum = a + b
// over 2x3 f32), so these tests need neither the compiler nor a model library.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

//===----------------------------------------------------------------------===//
// Fixtures
//===----------------------------------------------------------------------===//

// Owns a status so failing assertions do not leak it.
struct StatusPtr {
  kiln_status_t status;
  explicit StatusPtr(kiln_status_t s) : status(s) {}
  ~StatusPtr() { kiln_status_free(status); }
  StatusPtr(const StatusPtr &) = delete;
  StatusPtr &operator=(const StatusPtr &) = delete;
  bool ok() const { return status == nullptr; }
  kiln_status_code_t code() const { return kiln_status_code(status); }
  std::string message() const { return kiln_status_message(status); }
};

struct SessionDeleter {
  void operator()(kiln_session_t *s) const { kiln_session_destroy(s); }
};
using SessionPtr = std::unique_ptr<kiln_session_t, SessionDeleter>;

const int64_t kShape23[] = {2, 3};
constexpr int64_t kNumel = 6;
constexpr uint64_t kArenaSize = 256;

std::atomic<int> entryCalls{0};

struct AddArgs {
  const float *a, *b;
  float *out;
};

void addChunk(void *user, int64_t begin, int64_t end) {
  auto *args = static_cast<AddArgs *>(user);
  for (int64_t i = begin; i < end; ++i)
    args->out[i] = args->a[i] + args->b[i];
}

// Uses the arena (to check it is usable and aligned) and kiln_parallel_for
// (to check the ctx the runtime passes is a valid session).
void addEntry(void *const *buffers, void *arena, void *ctx) {
  ++entryCalls;
  if (arena) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(arena) % 64, 0u);
    std::memset(arena, 0xAB, kArenaSize);
  }
  AddArgs args{static_cast<const float *>(buffers[0]),
               static_cast<const float *>(buffers[1]),
               static_cast<float *>(buffers[2])};
  kiln_parallel_for(ctx, kNumel, addChunk, &args);
}

const kiln_tensor_desc_t kAddInputs[] = {
    {"a", KILN_DTYPE_F32, 2, kShape23},
    {"b", KILN_DTYPE_F32, 2, kShape23},
};
const kiln_tensor_desc_t kAddOutputs[] = {
    {"sum", KILN_DTYPE_F32, 2, kShape23},
};

kiln_model_t makeAddModel() {
  kiln_model_t m;
  std::memset(&m, 0, sizeof(m));
  m.abi_version = KILN_ABI_VERSION;
  m.name = "add";
  m.num_inputs = 2;
  m.inputs = kAddInputs;
  m.num_outputs = 1;
  m.outputs = kAddOutputs;
  m.arena_size = kArenaSize;
  m.weights_size = 0;
  m.target = "test";
  m.entry = addEntry;
  return m;
}

const kiln_model_t kAddModel = makeAddModel();

class RunTest : public ::testing::Test {
protected:
  void SetUp() override {
    kiln_session_options_t options;
    kiln_session_options_init(&options);
    options.num_threads = 1;
    kiln_session_t *s = nullptr;
    StatusPtr st(kiln_session_create(&kAddModel, &options, &s));
    ASSERT_TRUE(st.ok()) << st.message();
    session.reset(s);
    for (int i = 0; i < kNumel; ++i) {
      a[i] = float(i);
      b[i] = float(10 * i);
      out[i] = -1.0f;
    }
    inputs[0] = {KILN_DTYPE_F32, 2, kShape23, a};
    inputs[1] = {KILN_DTYPE_F32, 2, kShape23, b};
    outputs[0] = {KILN_DTYPE_F32, 2, kShape23, out};
    entryCalls = 0;
  }

  // Runs with the current tensors and expects an INVALID_ARGUMENT whose
  // message contains every string in `parts`, and that the entry never ran.
  void expectRunError(std::initializer_list<const char *> parts,
                      size_t numInputs = 2, size_t numOutputs = 1) {
    StatusPtr st(kiln_session_run(session.get(), inputs, numInputs, outputs,
                                  numOutputs));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), KILN_STATUS_INVALID_ARGUMENT);
    for (const char *part : parts)
      EXPECT_NE(st.message().find(part), std::string::npos)
          << "message '" << st.message() << "' lacks '" << part << "'";
    EXPECT_EQ(entryCalls.load(), 0);
  }

  SessionPtr session;
  float a[kNumel], b[kNumel], out[kNumel];
  kiln_tensor_t inputs[2];
  kiln_tensor_t outputs[1];
};

//===----------------------------------------------------------------------===//
// Status and dtype helpers
//===----------------------------------------------------------------------===//

TEST(StatusTest, NullIsOk) {
  EXPECT_EQ(kiln_status_code(nullptr), KILN_STATUS_OK);
  EXPECT_STREQ(kiln_status_message(nullptr), "OK");
  kiln_status_free(nullptr); // must not crash
}

TEST(StatusTest, ErrorOwnsMessage) {
  kiln_session_t *s = reinterpret_cast<kiln_session_t *>(0x1);
  kiln_status_t st = kiln_session_create(nullptr, nullptr, &s);
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(s, nullptr) << "out_session must be cleared on failure";
  EXPECT_EQ(kiln_status_code(st), KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(kiln_status_message(st)).find("model"),
            std::string::npos);
  kiln_status_free(st);
}

TEST(DtypeTest, SizesAndNames) {
  struct {
    kiln_dtype_t dtype;
    size_t size;
    const char *name;
  } cases[] = {
      {KILN_DTYPE_F32, 4, "f32"},   {KILN_DTYPE_U8, 1, "u8"},
      {KILN_DTYPE_I8, 1, "i8"},     {KILN_DTYPE_U16, 2, "u16"},
      {KILN_DTYPE_I16, 2, "i16"},   {KILN_DTYPE_I32, 4, "i32"},
      {KILN_DTYPE_I64, 8, "i64"},   {KILN_DTYPE_BOOL, 1, "bool"},
      {KILN_DTYPE_F16, 2, "f16"},   {KILN_DTYPE_F64, 8, "f64"},
      {KILN_DTYPE_U32, 4, "u32"},   {KILN_DTYPE_U64, 8, "u64"},
      {KILN_DTYPE_BF16, 2, "bf16"},
  };
  for (const auto &c : cases) {
    EXPECT_EQ(kiln_dtype_size(c.dtype), c.size) << c.name;
    EXPECT_STREQ(kiln_dtype_name(c.dtype), c.name);
  }
  EXPECT_EQ(kiln_dtype_size(KILN_DTYPE_INVALID), 0u);
  EXPECT_STREQ(kiln_dtype_name(KILN_DTYPE_INVALID), "invalid");
  EXPECT_EQ(kiln_dtype_size(static_cast<kiln_dtype_t>(8)), 0u); // STRING
  EXPECT_STREQ(kiln_dtype_name(static_cast<kiln_dtype_t>(999)), "invalid");
}

//===----------------------------------------------------------------------===//
// Session creation
//===----------------------------------------------------------------------===//

TEST(SessionTest, OptionsDefaults) {
  kiln_session_options_t options;
  std::memset(&options, 0x5A, sizeof(options));
  kiln_session_options_init(&options);
  EXPECT_EQ(options.num_threads, 0);
  kiln_session_options_init(nullptr); // must not crash
}

TEST(SessionTest, DefaultThreadsIsCoreCount) {
  // The CPUs the process may use, not all the machine's.
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  long cores = CPU_COUNT(&allowed);
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&kAddModel, nullptr, &s));
  ASSERT_TRUE(st.ok()) << st.message();
  SessionPtr session(s);
  EXPECT_EQ(kiln_session_num_threads(s), cores < 1 ? 1 : cores);
  EXPECT_EQ(kiln_session_model(s), &kAddModel);
}

TEST(SessionTest, ExplicitThreads) {
  for (int32_t n : {1, 2, 4}) {
    kiln_session_options_t options;
    kiln_session_options_init(&options);
    options.num_threads = n;
    kiln_session_t *s = nullptr;
    StatusPtr st(kiln_session_create(&kAddModel, &options, &s));
    ASSERT_TRUE(st.ok()) << st.message();
    SessionPtr session(s);
    EXPECT_EQ(kiln_session_num_threads(s), n);
  }
}

TEST(SessionTest, NegativeThreadsRejected) {
  kiln_session_options_t options;
  kiln_session_options_init(&options);
  options.num_threads = -2;
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&kAddModel, &options, &s));
  EXPECT_EQ(st.code(), KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(s, nullptr);
}

TEST(SessionTest, NullSafeAccessorsAndDestroy) {
  kiln_session_destroy(nullptr);
  EXPECT_EQ(kiln_session_model(nullptr), nullptr);
  EXPECT_EQ(kiln_session_num_threads(nullptr), 0);
}

TEST(SessionTest, NullOutSession) {
  StatusPtr st(kiln_session_create(&kAddModel, nullptr, nullptr));
  EXPECT_EQ(st.code(), KILN_STATUS_INVALID_ARGUMENT);
}

// Creates a session for `model` and expects it to fail with `part` in the
// message.
void expectCreateError(const kiln_model_t *model, const char *part) {
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(model, nullptr, &s));
  EXPECT_EQ(st.code(), KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find(part), std::string::npos) << st.message();
  EXPECT_EQ(s, nullptr);
  kiln_session_destroy(s);
}

TEST(SessionTest, RejectsBadDescriptors) {
  expectCreateError(nullptr, "model is NULL");

  kiln_model_t m = kAddModel;
  m.abi_version = KILN_ABI_VERSION + 1;
  expectCreateError(&m, "ABI version");

  m = kAddModel;
  m.entry = nullptr;
  expectCreateError(&m, "entry");

  m = kAddModel;
  m.inputs = nullptr;
  expectCreateError(&m, "NULL input array");

  m = kAddModel;
  m.num_outputs = -1;
  expectCreateError(&m, "negative number of outputs");

  kiln_tensor_desc_t badOut = {"y", KILN_DTYPE_INVALID, 2, kShape23};
  m = kAddModel;
  m.outputs = &badOut;
  expectCreateError(&m, "'y' has invalid dtype");

  kiln_tensor_desc_t noShape = {"y", KILN_DTYPE_F32, 2, nullptr};
  m.outputs = &noShape;
  expectCreateError(&m, "'y' has an invalid shape");
}

TEST(SessionTest, ZeroArenaAndNoTensors) {
  kiln_model_t m = kAddModel;
  m.arena_size = 0;
  m.num_inputs = 0;
  m.inputs = nullptr;
  m.num_outputs = 0;
  m.outputs = nullptr;
  m.entry = [](void *const *, void *arena, void *) {
    ++entryCalls;
    EXPECT_EQ(arena, nullptr);
  };
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&m, nullptr, &s));
  ASSERT_TRUE(st.ok()) << st.message();
  SessionPtr session(s);
  entryCalls = 0;
  StatusPtr run(kiln_session_run(s, nullptr, 0, nullptr, 0));
  EXPECT_TRUE(run.ok()) << run.message();
  EXPECT_EQ(entryCalls.load(), 1);
}

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

TEST_F(RunTest, Success) {
  StatusPtr st(kiln_session_run(session.get(), inputs, 2, outputs, 1));
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(entryCalls.load(), 1);
  for (int i = 0; i < kNumel; ++i)
    EXPECT_FLOAT_EQ(out[i], 11.0f * i) << i;
}

// With pinned workers the caller runs on the one CPU they leave free (the
// one the session was created on), and keeps its own affinity mask after.
std::atomic<int> callerCpuInRun{-1};
void recordCallerEntry(void *const *, void *, void *) {
  callerCpuInRun = sched_getcpu();
}

TEST(AffinityRunTest, CallerOnFreeCpuDuringRunMaskRestored) {
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  if (CPU_COUNT(&allowed) < 2)
    GTEST_SKIP() << "needs 2 CPUs";
  int first = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE && first < 0; ++cpu)
    if (CPU_ISSET(cpu, &allowed))
      first = cpu;
  std::thread t([&] {
    // Created on `first`, so the worker is pinned elsewhere.
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ASSERT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);
    kiln_model_t m = kAddModel;
    m.entry = recordCallerEntry;
    kiln_session_options_t options;
    kiln_session_options_init(&options);
    options.num_threads = 2;
    kiln_session_t *s = nullptr;
    StatusPtr st(kiln_session_create(&m, &options, &s));
    ASSERT_TRUE(st.ok()) << st.message();
    SessionPtr session(s);
    ASSERT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(allowed), &allowed),
              0);
    float a[6] = {0}, b[6] = {0}, out[6];
    int64_t shape[2] = {2, 3};
    kiln_tensor_t in[2] = {{KILN_DTYPE_F32, 2, shape, a},
                           {KILN_DTYPE_F32, 2, shape, b}};
    kiln_tensor_t o[1] = {{KILN_DTYPE_F32, 2, shape, out}};
    StatusPtr run(kiln_session_run(s, in, 2, o, 1));
    ASSERT_TRUE(run.ok()) << run.message();
    EXPECT_EQ(callerCpuInRun.load(), first);
    cpu_set_t after;
    ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof(after), &after), 0);
    EXPECT_TRUE(CPU_EQUAL(&allowed, &after));
  });
  t.join();
}

TEST_F(RunTest, SuccessMultiThreadedRepeated) {
  kiln_session_options_t options;
  kiln_session_options_init(&options);
  options.num_threads = 4;
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&kAddModel, &options, &s));
  ASSERT_TRUE(st.ok()) << st.message();
  SessionPtr mt(s);
  for (int iter = 0; iter < 200; ++iter) {
    std::fill(out, out + kNumel, -1.0f);
    StatusPtr run(kiln_session_run(s, inputs, 2, outputs, 1));
    ASSERT_TRUE(run.ok()) << run.message();
    for (int i = 0; i < kNumel; ++i)
      ASSERT_FLOAT_EQ(out[i], 11.0f * i) << "iteration " << iter;
  }
}

TEST_F(RunTest, WrongShape) {
  const int64_t shape[] = {2, 4};
  inputs[1].shape = shape;
  expectRunError({"input 'b': expected shape [2,3], got [2,4]"});
}

TEST_F(RunTest, WrongRank) {
  const int64_t shape[] = {6};
  inputs[0].rank = 1;
  inputs[0].shape = shape;
  expectRunError({"input 'a': expected shape [2,3], got [6]"});
}

TEST_F(RunTest, WrongOutputShape) {
  const int64_t shape[] = {1, 2, 3};
  outputs[0].rank = 3;
  outputs[0].shape = shape;
  expectRunError({"output 'sum': expected shape [2,3], got [1,2,3]"});
}

TEST_F(RunTest, ScalarShapeFormatting) {
  inputs[0].rank = 0;
  inputs[0].shape = nullptr;
  expectRunError({"input 'a': expected shape [2,3], got []"});
}

TEST_F(RunTest, WrongDtype) {
  outputs[0].dtype = KILN_DTYPE_I64;
  expectRunError({"output 'sum': expected dtype f32, got i64"});
}

TEST_F(RunTest, WrongInputCount) {
  expectRunError({"expected 2 inputs, got 1"}, 1, 1);
}

TEST_F(RunTest, WrongOutputCount) {
  kiln_tensor_t two[2] = {outputs[0], outputs[0]};
  StatusPtr st(kiln_session_run(session.get(), inputs, 2, two, 2));
  EXPECT_EQ(st.code(), KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("expected 1 outputs, got 2"), std::string::npos)
      << st.message();
  EXPECT_EQ(entryCalls.load(), 0);
}

TEST_F(RunTest, NullData) {
  inputs[1].data = nullptr;
  expectRunError({"input 'b'", "data is NULL"});
}

TEST_F(RunTest, NullOutputData) {
  outputs[0].data = nullptr;
  expectRunError({"output 'sum'", "data is NULL"});
}

TEST_F(RunTest, NullShapeWithRank) {
  inputs[0].shape = nullptr;
  expectRunError({"input 'a'", "shape is NULL"});
}

TEST_F(RunTest, NullArrays) {
  StatusPtr st(kiln_session_run(session.get(), nullptr, 2, outputs, 1));
  EXPECT_EQ(st.code(), KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("inputs is NULL"), std::string::npos);
  StatusPtr st2(kiln_session_run(session.get(), inputs, 2, nullptr, 1));
  EXPECT_EQ(st2.code(), KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(st2.message().find("outputs is NULL"), std::string::npos);
  EXPECT_EQ(entryCalls.load(), 0);
}

TEST_F(RunTest, NullSession) {
  StatusPtr st(kiln_session_run(nullptr, inputs, 2, outputs, 1));
  EXPECT_EQ(st.code(), KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("session"), std::string::npos);
  EXPECT_EQ(entryCalls.load(), 0);
}

TEST_F(RunTest, ErrorThenSuccess) {
  outputs[0].dtype = KILN_DTYPE_F64;
  expectRunError({"output 'sum'"});
  outputs[0].dtype = KILN_DTYPE_F32;
  StatusPtr st(kiln_session_run(session.get(), inputs, 2, outputs, 1));
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_FLOAT_EQ(out[5], 55.0f);
}

//===----------------------------------------------------------------------===//
// kiln_parallel_for
//===----------------------------------------------------------------------===//

struct VisitState {
  std::vector<std::atomic<int>> hits;
  std::atomic<int64_t> sum{0};
  std::atomic<int> calls{0};
  explicit VisitState(int64_t n) : hits(size_t(n)) {}
};

void visitChunk(void *user, int64_t begin, int64_t end) {
  auto *state = static_cast<VisitState *>(user);
  ASSERT_LE(begin, end);
  ++state->calls;
  int64_t local = 0;
  for (int64_t i = begin; i < end; ++i) {
    ++state->hits[size_t(i)];
    local += i;
  }
  state->sum += local;
}

void expectEachOnce(const VisitState &state, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(state.hits[size_t(i)].load(), 1) << "index " << i;
  EXPECT_EQ(state.sum.load(), n * (n - 1) / 2);
}

SessionPtr makeSession(int32_t threads) {
  kiln_session_options_t options;
  kiln_session_options_init(&options);
  options.num_threads = threads;
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&kAddModel, &options, &s));
  EXPECT_TRUE(st.ok()) << st.message();
  return SessionPtr(s);
}

class ParallelForTest : public ::testing::TestWithParam<int32_t> {};

TEST_P(ParallelForTest, VisitsEveryIndexOnce) {
  SessionPtr session = makeSession(GetParam());
  ASSERT_NE(session, nullptr);
  for (int64_t n : {int64_t(1), int64_t(2), int64_t(3), int64_t(7), int64_t(64),
                    int64_t(1000), int64_t(100003)}) {
    VisitState state(n);
    kiln_parallel_for(session.get(), n, visitChunk, &state);
    expectEachOnce(state, n);
  }
}

// A layer's few output rows (14 here) are claimed one at a time, so that
// the threads can split them evenly (7/7 at 2 threads, not 6/8).
TEST_P(ParallelForTest, SmallJobsSplitIntoSingleIndices) {
  SessionPtr session = makeSession(GetParam());
  VisitState state(14);
  kiln_parallel_for(session.get(), 14, visitChunk, &state);
  expectEachOnce(state, 14);
  EXPECT_EQ(state.calls.load(), GetParam() == 1 ? 1 : 14);
}

TEST_P(ParallelForTest, ZeroAndNegativeAreNoOps) {
  SessionPtr session = makeSession(GetParam());
  VisitState state(1);
  kiln_parallel_for(session.get(), 0, visitChunk, &state);
  kiln_parallel_for(session.get(), -5, visitChunk, &state);
  EXPECT_EQ(state.calls.load(), 0);
}

TEST_P(ParallelForTest, ManyBackToBackJobs) {
  SessionPtr session = makeSession(GetParam());
  for (int iter = 0; iter < 2000; ++iter) {
    VisitState state(17);
    kiln_parallel_for(session.get(), 17, visitChunk, &state);
    for (int64_t i = 0; i < 17; ++i)
      ASSERT_EQ(state.hits[size_t(i)].load(), 1) << "iteration " << iter;
  }
}

// With every CPU busy, workers wake late: a job whose chunks the caller
// has all claimed is closed without them, and a late worker must skip it
// rather than run a chunk of the next job with this one's function.
TEST_P(ParallelForTest, BackToBackJobsWithBusyCpus) {
  SessionPtr session = makeSession(GetParam());
  struct Busy {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    Busy() {
      for (unsigned i = 0;
           i < std::max(2u, std::thread::hardware_concurrency()); ++i)
        threads.emplace_back([this] {
          while (!stop.load(std::memory_order_relaxed))
            ;
        });
    }
    ~Busy() {
      stop = true;
      for (std::thread &t : threads)
        t.join();
    }
  } busy;
  for (int iter = 0; iter < 2000; ++iter) {
    VisitState state(17);
    kiln_parallel_for(session.get(), 17, visitChunk, &state);
    for (int64_t i = 0; i < 17; ++i)
      ASSERT_EQ(state.hits[size_t(i)].load(), 1) << "iteration " << iter;
  }
}

struct NestedState {
  kiln_session_t *session;
  int64_t inner;
  std::vector<std::atomic<int>> hits;
  NestedState(kiln_session_t *s, int64_t outer, int64_t inner)
      : session(s), inner(inner), hits(size_t(outer * inner)) {}
};

struct InnerArgs {
  NestedState *state;
  int64_t row;
};

void nestedInner(void *user, int64_t begin, int64_t end) {
  auto *args = static_cast<InnerArgs *>(user);
  for (int64_t j = begin; j < end; ++j)
    ++args->state->hits[size_t(args->row * args->state->inner + j)];
}

void nestedOuter(void *user, int64_t begin, int64_t end) {
  auto *state = static_cast<NestedState *>(user);
  for (int64_t row = begin; row < end; ++row) {
    InnerArgs args{state, row};
    // Called from workers and from the caller while the pool is busy.
    kiln_parallel_for(state->session, state->inner, nestedInner, &args);
  }
}

TEST_P(ParallelForTest, NestedCallsDoNotDeadlock) {
  SessionPtr session = makeSession(GetParam());
  NestedState state(session.get(), 16, 257);
  kiln_parallel_for(session.get(), 16, nestedOuter, &state);
  for (size_t i = 0; i < state.hits.size(); ++i)
    ASSERT_EQ(state.hits[i].load(), 1) << "index " << i;
  // The pool must be usable again afterwards.
  VisitState after(1000);
  kiln_parallel_for(session.get(), 1000, visitChunk, &after);
  expectEachOnce(after, 1000);
}

INSTANTIATE_TEST_SUITE_P(Threads, ParallelForTest, ::testing::Values(1, 2, 4),
                         [](const ::testing::TestParamInfo<int32_t> &info) {
                           return "T" + std::to_string(info.param);
                         });

// Two chunks that each wait for the other, so the caller and the worker run
// one each; the worker's records its affinity mask.
struct AffinityState {
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> arrived{0};
  std::atomic<int> workerCpus{-1}, workerCpu{-1};
};

void recordAffinity(void *user, int64_t, int64_t) {
  auto *state = static_cast<AffinityState *>(user);
  ++state->arrived;
  while (state->arrived.load() < 2)
    std::this_thread::yield();
  if (std::this_thread::get_id() == state->caller)
    return;
  cpu_set_t set;
  ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof(set), &set), 0);
  state->workerCpus = CPU_COUNT(&set);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set))
      state->workerCpu = cpu;
}

class AffinityTest : public ::testing::TestWithParam<bool> {};

TEST_P(AffinityTest, WorkersPinnedToOneCpuEach) {
  bool noAffinity = GetParam();
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  kiln_session_options_t options;
  kiln_session_options_init(&options);
  options.num_threads = 2;
  options.no_affinity = noAffinity;
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&kAddModel, &options, &s));
  ASSERT_TRUE(st.ok()) << st.message();
  SessionPtr session(s);
  AffinityState state;
  kiln_parallel_for(s, 2, recordAffinity, &state);
  ASSERT_EQ(state.arrived.load(), 2);
  if (noAffinity || CPU_COUNT(&allowed) < 2) {
    // Unpinned: the worker keeps the mask it inherited.
    EXPECT_EQ(state.workerCpus.load(), CPU_COUNT(&allowed));
    return;
  }
  EXPECT_EQ(state.workerCpus.load(), 1);
  EXPECT_TRUE(CPU_ISSET(state.workerCpu.load(), &allowed));
}

INSTANTIATE_TEST_SUITE_P(Pinning, AffinityTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &info) {
                           return info.param ? "NoAffinity" : "Pinned";
                         });

TEST(ParallelForInlineTest, NullCtxRunsInlineAsOneChunk) {
  VisitState state(100);
  kiln_parallel_for(nullptr, 100, visitChunk, &state);
  expectEachOnce(state, 100);
  EXPECT_EQ(state.calls.load(), 1);
}

TEST(ParallelForInlineTest, OneThreadRunsInlineAsOneChunk) {
  SessionPtr session = makeSession(1);
  VisitState state(100);
  kiln_parallel_for(session.get(), 100, visitChunk, &state);
  expectEachOnce(state, 100);
  EXPECT_EQ(state.calls.load(), 1);
}

TEST(ParallelForInlineTest, SessionsAreIndependent) {
  // Two sessions driven from two threads at once (one thread per session).
  SessionPtr s1 = makeSession(2), s2 = makeSession(3);
  VisitState a(50000), b(50000);
  std::thread t([&] {
    for (int i = 0; i < 50; ++i) {
      VisitState local(1000);
      kiln_parallel_for(s2.get(), 1000, visitChunk, &local);
      expectEachOnce(local, 1000);
    }
    kiln_parallel_for(s2.get(), 50000, visitChunk, &b);
  });
  kiln_parallel_for(s1.get(), 50000, visitChunk, &a);
  t.join();
  expectEachOnce(a, 50000);
  expectEachOnce(b, 50000);
}

//===----------------------------------------------------------------------===//
// Profiling
//===----------------------------------------------------------------------===//

const char *const kKernelNames[] = {"first", "second"};

// Two kernels: the first sleeps ~2 ms, the second returns at once.
kiln_model_t makeProfiledModel() {
  kiln_model_t m = kAddModel;
  m.num_kernels = 2;
  m.kernel_names = kKernelNames;
  m.entry = [](void *const *, void *, void *ctx) {
    kiln_profile_mark(ctx, 0);
    usleep(2000);
    kiln_profile_mark(ctx, 1);
    kiln_profile_mark(ctx, 2);
  };
  return m;
}

TEST(ProfileTest, ChargesTimeBetweenMarks) {
  kiln_model_t m = makeProfiledModel();
  kiln_session_options_t opts;
  kiln_session_options_init(&opts);
  EXPECT_EQ(opts.profile, 0);
  opts.num_threads = 1;
  opts.profile = 1;
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&m, &opts, &s));
  ASSERT_TRUE(st.ok()) << st.message();
  SessionPtr session(s);
  std::vector<float> a(kNumel), b(kNumel), out(kNumel);
  kiln_tensor_t in[2] = {{KILN_DTYPE_F32, 2, kShape23, a.data()},
                         {KILN_DTYPE_F32, 2, kShape23, b.data()}};
  kiln_tensor_t o = {KILN_DTYPE_F32, 2, kShape23, out.data()};
  for (int i = 0; i < 3; ++i) {
    StatusPtr run(kiln_session_run(s, in, 2, &o, 1));
    ASSERT_TRUE(run.ok()) << run.message();
  }
  uint64_t runs = 0;
  const uint64_t *ns = kiln_session_profile(s, &runs);
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(runs, 3u);
  EXPECT_GE(ns[0], 3u * 2000000u);
  EXPECT_LT(ns[1], ns[0]);
  kiln_session_profile_reset(s);
  ns = kiln_session_profile(s, &runs);
  EXPECT_EQ(runs, 0u);
  EXPECT_EQ(ns[0], 0u);
  EXPECT_EQ(ns[1], 0u);
}

TEST(ProfileTest, OffByDefault) {
  kiln_model_t m = makeProfiledModel();
  kiln_session_t *s = nullptr;
  StatusPtr st(kiln_session_create(&m, nullptr, &s));
  ASSERT_TRUE(st.ok()) << st.message();
  SessionPtr session(s);
  uint64_t runs = 7;
  EXPECT_EQ(kiln_session_profile(s, &runs), nullptr);
  EXPECT_EQ(runs, 0u);
  // Marks and resets are harmless without profiling, and without a session.
  kiln_profile_mark(s, 0);
  kiln_profile_mark(nullptr, 0);
  kiln_session_profile_reset(s);
  kiln_session_profile_reset(nullptr);
  EXPECT_EQ(kiln_session_profile(nullptr, nullptr), nullptr);
}

TEST(ProfileTest, RejectsBadKernelTable) {
  kiln_model_t m = makeProfiledModel();
  m.kernel_names = nullptr;
  expectCreateError(&m, "invalid kernel table (2 kernels)");
  m.num_kernels = -1;
  expectCreateError(&m, "invalid kernel table (-1 kernels)");
}

} // namespace
