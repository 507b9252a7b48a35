//===- kiln-run.cpp - Load, run and check a compiled Kiln model -----------===//
//
// Loads a model library built by kiln-compile, feeds it inputs read from
// .npy or ONNX TensorProto (.pb) files, and compares its outputs against
// expected files, optionally timing repeated runs.
//
// Deliberately free of LLVM: it is a host-side tool that should build and run
// wherever the model libraries do, linking only the C runtime and onnx_proto.
//
// Exit codes: 0 all expectations hold (or none were given), 1 a comparison
// failed, 2 bad usage or input.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <dlfcn.h>

namespace {

constexpr int kExitOk = 0;
constexpr int kExitMismatch = 1;
constexpr int kExitError = 2;

const char *const kUsage =
    "usage: kiln-run LIB [options]\n"
    "\n"
    "Loads the Kiln model library LIB, runs it once and checks its outputs.\n"
    "\n"
    "options:\n"
    "  --input [NAME=]FILE   input tensor (.npy or ONNX TensorProto .pb); by\n"
    "                        model input name, else in signature order\n"
    "  --expect [NAME=]FILE  expected output tensor, bound like --input\n"
    "  --atol A              absolute tolerance (default 1e-4)\n"
    "  --rtol R              relative tolerance (default 1e-3); an element\n"
    "                        passes if |got-want| <= atol + rtol*|want|\n"
    "  --threads N           session threads, 0 = one per core (default 1)\n"
    "  --no-affinity         let the OS place the worker threads (default:\n"
    "                        each pinned to its own CPU)\n"
    "  --bench N             time N runs after a few warm-up runs\n"
    "  --profile             time every kernel (over the --bench runs, else\n"
    "                        the one run) and print each one's share\n"
    "  --output-dir DIR      write every output to DIR/NAME.npy\n"
    "  --json                print one JSON object instead of text\n"
    "  -h, --help            print this help\n"
    "\n"
    "exit status: 0 ok, 1 an output mismatched, 2 usage or input error\n";

/// Any error that should end the program with exit code 2.
struct Fatal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename... Args>
[[noreturn]] void fatal(const char *fmt, Args... args) {
  int len = std::snprintf(nullptr, 0, fmt, args...);
  std::string msg(size_t(std::max(len, 0)), '\0');
  std::snprintf(msg.data(), msg.size() + 1, fmt, args...);
  throw Fatal(msg);
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};

/// A dense row-major host tensor with 64-byte aligned storage.
struct HostTensor {
  kiln_dtype_t dtype = KILN_DTYPE_INVALID;
  std::vector<int64_t> shape;
  std::unique_ptr<void, FreeDeleter> storage;
  std::string protoName; // TensorProto.name, when read from a .pb file
  std::string path;

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  size_t bytes() const { return size_t(numel()) * kiln_dtype_size(dtype); }
  void *data() const { return storage.get(); }

  void allocate(kiln_dtype_t type, std::vector<int64_t> dims) {
    dtype = type;
    shape = std::move(dims);
    for (int64_t d : shape)
      if (d < 0)
        fatal("%s: negative dimension %lld", path.c_str(), (long long)d);
    size_t size = std::max<size_t>(bytes(), 1);
    void *p = nullptr;
    if (posix_memalign(&p, 64, size) != 0)
      fatal("cannot allocate %zu bytes", size);
    std::memset(p, 0, size);
    storage.reset(p);
  }

  kiln_tensor_t view() const {
    return {dtype, int32_t(shape.size()), shape.data(), storage.get()};
  }
};

std::string formatShape(const int64_t *shape, size_t rank) {
  std::string s = "[";
  for (size_t i = 0; i < rank; ++i) {
    if (i)
      s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string formatShape(const std::vector<int64_t> &shape) {
  return formatShape(shape.data(), shape.size());
}

bool isFloat(kiln_dtype_t t) {
  return t == KILN_DTYPE_F32 || t == KILN_DTYPE_F64 || t == KILN_DTYPE_F16 ||
         t == KILN_DTYPE_BF16;
}

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0x1f) { // inf / nan
    bits = sign | 0x7f800000u | (mant << 13);
  } else if (exp != 0) { // normal
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) { // zero
    bits = sign;
  } else { // subnormal: renormalise
    exp = 113;
    while (!(mant & 0x400)) {
      mant <<= 1;
      --exp;
    }
    bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

template <typename T> T load(const void *data, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char *>(data) + size_t(i) * sizeof(T),
              sizeof(T));
  return v;
}

/// Element i of a floating-point tensor as a double.
double floatAt(const HostTensor &t, int64_t i) {
  switch (t.dtype) {
  case KILN_DTYPE_F32:
    return load<float>(t.data(), i);
  case KILN_DTYPE_F64:
    return load<double>(t.data(), i);
  case KILN_DTYPE_F16:
    return halfToFloat(load<uint16_t>(t.data(), i));
  case KILN_DTYPE_BF16: {
    uint32_t bits = uint32_t(load<uint16_t>(t.data(), i)) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    return f;
  }
  default:
    return 0;
  }
}

/// Element i of an integer or bool tensor, widened without loss.
struct IntValue {
  bool isUnsigned;
  int64_t s;
  uint64_t u;
};

IntValue intAt(const HostTensor &t, int64_t i) {
  const void *d = t.data();
  switch (t.dtype) {
  case KILN_DTYPE_I8:
    return {false, load<int8_t>(d, i), 0};
  case KILN_DTYPE_I16:
    return {false, load<int16_t>(d, i), 0};
  case KILN_DTYPE_I32:
    return {false, load<int32_t>(d, i), 0};
  case KILN_DTYPE_I64:
    return {false, load<int64_t>(d, i), 0};
  case KILN_DTYPE_U8:
  case KILN_DTYPE_BOOL:
    return {true, 0, load<uint8_t>(d, i)};
  case KILN_DTYPE_U16:
    return {true, 0, load<uint16_t>(d, i)};
  case KILN_DTYPE_U32:
    return {true, 0, load<uint32_t>(d, i)};
  case KILN_DTYPE_U64:
    return {true, 0, load<uint64_t>(d, i)};
  default:
    return {false, 0, 0};
  }
}

/// Absolute difference of two integers of the same dtype, as a double.
double intDiff(IntValue a, IntValue b) {
  if (a.isUnsigned)
    return double(a.u > b.u ? a.u - b.u : b.u - a.u);
  // Through unsigned to avoid signed overflow on extreme values.
  uint64_t ua = uint64_t(a.s), ub = uint64_t(b.s);
  return double(a.s > b.s ? ua - ub : ub - ua);
}

double intMagnitude(IntValue v) {
  if (v.isUnsigned)
    return double(v.u);
  return v.s < 0 ? -double(v.s) : double(v.s);
}

/// Short preview of the first few elements.
std::string preview(const HostTensor &t, int64_t count = 8) {
  std::string s = "[";
  int64_t n = std::min(t.numel(), count);
  char buf[64];
  for (int64_t i = 0; i < n; ++i) {
    if (i)
      s += ", ";
    if (isFloat(t.dtype)) {
      std::snprintf(buf, sizeof(buf), "%.6g", floatAt(t, i));
    } else {
      IntValue v = intAt(t, i);
      if (v.isUnsigned)
        std::snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v.u);
      else
        std::snprintf(buf, sizeof(buf), "%lld", (long long)v.s);
    }
    s += buf;
  }
  if (t.numel() > n)
    s += ", ...";
  return s + "]";
}

//===----------------------------------------------------------------------===//
// File formats
//===----------------------------------------------------------------------===//

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fatal("cannot open '%s': %s", path.c_str(), std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad())
    fatal("cannot read '%s'", path.c_str());
  return bytes;
}

/// Minimal parser for the Python dict literal in a .npy header, e.g.
/// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class NpyHeaderParser {
public:
  NpyHeaderParser(const std::string &text, const std::string &path)
      : s(text), path(path) {}

  void parse(std::string &descr, bool &fortran, std::vector<int64_t> &shape) {
    bool sawDescr = false, sawShape = false;
    expect('{');
    while (true) {
      skipSpace();
      if (peek() == '}')
        break;
      std::string key = parseString();
      expect(':');
      skipSpace();
      if (key == "descr") {
        descr = parseString();
        sawDescr = true;
      } else if (key == "fortran_order") {
        std::string word = parseWord();
        if (word != "True" && word != "False")
          error("bad fortran_order value '" + word + "'");
        fortran = word == "True";
      } else if (key == "shape") {
        shape = parseTuple();
        sawShape = true;
      } else {
        error("unexpected key '" + key + "'");
      }
      skipSpace();
      if (peek() == ',')
        ++pos;
    }
    if (!sawDescr || !sawShape)
      error("header lacks 'descr' or 'shape'");
  }

private:
  [[noreturn]] void error(const std::string &what) {
    fatal("%s: bad .npy header: %s", path.c_str(), what.c_str());
  }
  char peek() const { return pos < s.size() ? s[pos] : '\0'; }
  void skipSpace() {
    while (pos < s.size() && std::isspace((unsigned char)s[pos]))
      ++pos;
  }
  void expect(char c) {
    skipSpace();
    if (peek() != c)
      error(std::string("expected '") + c + "'");
    ++pos;
  }
  std::string parseString() {
    skipSpace();
    char quote = peek();
    if (quote != '\'' && quote != '"')
      error("expected a string");
    size_t end = s.find(quote, pos + 1);
    if (end == std::string::npos)
      error("unterminated string");
    std::string value = s.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    return value;
  }
  std::string parseWord() {
    size_t start = pos;
    while (pos < s.size() && std::isalpha((unsigned char)s[pos]))
      ++pos;
    return s.substr(start, pos - start);
  }
  std::vector<int64_t> parseTuple() {
    std::vector<int64_t> dims;
    expect('(');
    while (true) {
      skipSpace();
      if (peek() == ')') {
        ++pos;
        return dims;
      }
      size_t start = pos;
      while (pos < s.size() && std::isdigit((unsigned char)s[pos]))
        ++pos;
      if (start == pos)
        error("expected a dimension");
      dims.push_back(std::stoll(s.substr(start, pos - start)));
      skipSpace();
      if (peek() == ',')
        ++pos;
      else if (peek() != ')')
        error("expected ',' or ')' in shape");
    }
  }

  const std::string &s;
  const std::string &path;
  size_t pos = 0;
};

kiln_dtype_t dtypeFromNpyDescr(const std::string &descr,
                               const std::string &path) {
  if (descr.size() >= 2) {
    char order = descr[0];
    std::string type = descr.substr(1);
    struct {
      const char *code;
      kiln_dtype_t dtype;
    } table[] = {
        {"f4", KILN_DTYPE_F32}, {"f8", KILN_DTYPE_F64}, {"f2", KILN_DTYPE_F16},
        {"i1", KILN_DTYPE_I8},  {"u1", KILN_DTYPE_U8},  {"i2", KILN_DTYPE_I16},
        {"u2", KILN_DTYPE_U16}, {"i4", KILN_DTYPE_I32}, {"u4", KILN_DTYPE_U32},
        {"i8", KILN_DTYPE_I64}, {"u8", KILN_DTYPE_U64}, {"b1", KILN_DTYPE_BOOL},
    };
    for (const auto &entry : table) {
      if (type != entry.code)
        continue;
      // '=' is native order, which is little-endian on every supported host.
      bool single = kiln_dtype_size(entry.dtype) == 1;
      if (order == '<' || order == '=' || (order == '|' && single) ||
          (order == '>' && single))
        return entry.dtype;
      if (order == '>')
        fatal("%s: big-endian .npy data ('%s') is not supported", path.c_str(),
              descr.c_str());
      break;
    }
  }
  fatal("%s: unsupported .npy dtype '%s'", path.c_str(), descr.c_str());
}

const char *npyDescr(kiln_dtype_t dtype) {
  switch (dtype) {
  case KILN_DTYPE_F32:
    return "<f4";
  case KILN_DTYPE_F64:
    return "<f8";
  case KILN_DTYPE_F16:
    return "<f2";
  case KILN_DTYPE_I8:
    return "|i1";
  case KILN_DTYPE_U8:
    return "|u1";
  case KILN_DTYPE_I16:
    return "<i2";
  case KILN_DTYPE_U16:
  case KILN_DTYPE_BF16: // numpy has no bfloat16: keep the raw bits
    return "<u2";
  case KILN_DTYPE_I32:
    return "<i4";
  case KILN_DTYPE_U32:
    return "<u4";
  case KILN_DTYPE_I64:
    return "<i8";
  case KILN_DTYPE_U64:
    return "<u8";
  case KILN_DTYPE_BOOL:
    return "|b1";
  default:
    return nullptr;
  }
}

const char kNpyMagic[] = "\x93NUMPY";

void readNpy(const std::string &bytes, HostTensor &t) {
  const std::string &path = t.path;
  if (bytes.size() < 10 || bytes.compare(0, 6, kNpyMagic, 6) != 0)
    fatal("%s: not a .npy file", path.c_str());
  unsigned major = (unsigned char)bytes[6];
  size_t headerLen, offset;
  if (major == 1) {
    headerLen =
        (unsigned char)bytes[8] | (size_t((unsigned char)bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      fatal("%s: truncated .npy header", path.c_str());
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | (unsigned char)bytes[8 + i];
    offset = 12;
  } else {
    fatal("%s: unsupported .npy version %u", path.c_str(), major);
  }
  if (bytes.size() < offset + headerLen)
    fatal("%s: truncated .npy header", path.c_str());
  std::string header = bytes.substr(offset, headerLen);
  std::string descr;
  bool fortran = false;
  std::vector<int64_t> shape;
  NpyHeaderParser(header, path).parse(descr, fortran, shape);
  kiln_dtype_t dtype = dtypeFromNpyDescr(descr, path);
  size_t nonUnit = 0;
  for (int64_t d : shape)
    nonUnit += d != 1;
  // Fortran order only changes the layout when two or more dims exceed 1.
  if (fortran && nonUnit > 1)
    fatal("%s: Fortran-order arrays are not supported; save with "
          "np.ascontiguousarray",
          path.c_str());
  t.allocate(dtype, shape);
  size_t dataBytes = bytes.size() - offset - headerLen;
  if (dataBytes != t.bytes())
    fatal("%s: expected %zu bytes of data for %s %s, found %zu", path.c_str(),
          t.bytes(), kiln_dtype_name(dtype), formatShape(shape).c_str(),
          dataBytes);
  if (t.bytes())
    std::memcpy(t.data(), bytes.data() + offset + headerLen, t.bytes());
}

void writeNpy(const std::string &path, const HostTensor &t) {
  const char *descr = npyDescr(t.dtype);
  if (!descr)
    fatal("cannot write dtype %s to .npy", kiln_dtype_name(t.dtype));
  std::string shape = "(";
  for (int64_t d : t.shape)
    shape += std::to_string(d) + ", ";
  // numpy writes (), (6,) and (2, 3).
  if (t.shape.size() > 1)
    shape.resize(shape.size() - 2);
  else if (t.shape.size() == 1)
    shape.resize(shape.size() - 1);
  shape += ")";
  std::string dict = std::string("{'descr': '") + descr +
                     "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces so the data starts 64-byte aligned, newline-terminated.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  if (dict.size() > 0xffff)
    fatal("shape of '%s' too large for a .npy v1 header", path.c_str());
  std::ofstream out(path, std::ios::binary);
  if (!out)
    fatal("cannot create '%s': %s", path.c_str(), std::strerror(errno));
  out.write(kNpyMagic, 6);
  char version[2] = {1, 0};
  out.write(version, 2);
  char len[2] = {char(dict.size() & 0xff), char(dict.size() >> 8)};
  out.write(len, 2);
  out.write(dict.data(), std::streamsize(dict.size()));
  out.write(static_cast<const char *>(t.data()), std::streamsize(t.bytes()));
  if (!out)
    fatal("cannot write '%s'", path.c_str());
}

/// Copies a repeated proto field into `t`, narrowing each value to T.
template <typename T, typename Field>
void copyTyped(const Field &field, HostTensor &t, const char *fieldName) {
  if (int64_t(field.size()) != t.numel())
    fatal("%s: %s has %d values, but shape %s needs %lld", t.path.c_str(),
          fieldName, field.size(), formatShape(t.shape).c_str(),
          (long long)t.numel());
  T *dst = static_cast<T *>(t.data());
  for (int i = 0; i < field.size(); ++i)
    dst[i] = static_cast<T>(field.Get(i));
}

void readTensorProto(const std::string &bytes, HostTensor &t) {
  const std::string &path = t.path;
  onnx::TensorProto proto;
  // An empty or unrelated protobuf parses too, leaving data_type unset.
  if (!proto.ParseFromString(bytes) ||
      proto.data_type() == onnx::TensorProto::UNDEFINED)
    fatal("%s: not a valid ONNX TensorProto", path.c_str());
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    fatal("%s: tensors with external data are not supported", path.c_str());
  if (proto.has_segment())
    fatal("%s: segmented tensors are not supported", path.c_str());
  auto dtype = static_cast<kiln_dtype_t>(proto.data_type());
  if (kiln_dtype_size(dtype) == 0)
    fatal("%s: unsupported TensorProto data_type %d", path.c_str(),
          proto.data_type());
  t.protoName = proto.name();
  t.allocate(dtype,
             std::vector<int64_t>(proto.dims().begin(), proto.dims().end()));
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != t.bytes())
      fatal("%s: raw_data has %zu bytes, but %s %s needs %zu", path.c_str(),
            raw.size(), kiln_dtype_name(dtype), formatShape(t.shape).c_str(),
            t.bytes());
    if (!raw.empty())
      std::memcpy(t.data(), raw.data(), raw.size());
    return;
  }
  switch (dtype) {
  case KILN_DTYPE_F32:
    return copyTyped<float>(proto.float_data(), t, "float_data");
  case KILN_DTYPE_F64:
    return copyTyped<double>(proto.double_data(), t, "double_data");
  case KILN_DTYPE_I64:
    return copyTyped<int64_t>(proto.int64_data(), t, "int64_data");
  case KILN_DTYPE_U32:
    return copyTyped<uint32_t>(proto.uint64_data(), t, "uint64_data");
  case KILN_DTYPE_U64:
    return copyTyped<uint64_t>(proto.uint64_data(), t, "uint64_data");
  case KILN_DTYPE_I32:
    return copyTyped<int32_t>(proto.int32_data(), t, "int32_data");
  case KILN_DTYPE_I8:
    return copyTyped<int8_t>(proto.int32_data(), t, "int32_data");
  case KILN_DTYPE_I16:
    return copyTyped<int16_t>(proto.int32_data(), t, "int32_data");
  case KILN_DTYPE_U8:
  case KILN_DTYPE_BOOL:
    return copyTyped<uint8_t>(proto.int32_data(), t, "int32_data");
  case KILN_DTYPE_U16:
  case KILN_DTYPE_F16: // the bit patterns, one per int32
  case KILN_DTYPE_BF16:
    return copyTyped<uint16_t>(proto.int32_data(), t, "int32_data");
  default:
    fatal("%s: unsupported TensorProto data_type %d", path.c_str(),
          proto.data_type());
  }
}

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

/// Reads a .npy or TensorProto file; other extensions are sniffed.
HostTensor readTensorFile(const std::string &path) {
  HostTensor t;
  t.path = path;
  std::string bytes = readFile(path);
  bool npy = endsWith(path, ".npy") ||
             (!endsWith(path, ".pb") && bytes.compare(0, 6, kNpyMagic, 6) == 0);
  if (npy)
    readNpy(bytes, t);
  else
    readTensorProto(bytes, t);
  return t;
}

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

struct Options {
  std::string library;
  std::vector<std::string> inputs, expects;
  double atol = 1e-4, rtol = 1e-3;
  int32_t threads = 1;
  int64_t bench = 0;
  std::string outputDir;
  bool json = false;
  bool profile = false;
  bool noAffinity = false;
};

double parseDouble(const std::string &flag, const std::string &text) {
  char *end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !(v >= 0))
    fatal("%s expects a non-negative number, got '%s'", flag.c_str(),
          text.c_str());
  return v;
}

int64_t parseInt(const std::string &flag, const std::string &text,
                 int64_t max) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < 0 || v > max)
    fatal("%s expects an integer in [0, %lld], got '%s'", flag.c_str(),
          (long long)max, text.c_str());
  return v;
}

/// Returns nullopt when --help was given.
std::optional<Options> parseArgs(int argc, char **argv) {
  Options opts;
  bool haveLibrary = false, noMoreFlags = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (noMoreFlags || arg.empty() || arg[0] != '-' || arg == "-") {
      if (haveLibrary)
        fatal("unexpected argument '%s' (the library is '%s')", arg.c_str(),
              opts.library.c_str());
      opts.library = arg;
      haveLibrary = true;
      continue;
    }
    if (arg == "--") {
      noMoreFlags = true;
      continue;
    }
    if (arg == "-h" || arg == "--help")
      return std::nullopt;
    if (arg == "--json") {
      opts.json = true;
      continue;
    }
    if (arg == "--profile") {
      opts.profile = true;
      continue;
    }
    if (arg == "--no-affinity") {
      opts.noAffinity = true;
      continue;
    }
    // The remaining flags take a value, as "--flag V" or "--flag=V".
    std::string flag = arg, value;
    size_t eq = arg.find('=');
    if (arg.compare(0, 2, "--") == 0 && eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    static const char *const valued[] = {"--input",     "--expect",  "--atol",
                                         "--rtol",      "--threads", "--bench",
                                         "--output-dir"};
    if (std::find_if(std::begin(valued), std::end(valued), [&](const char *f) {
          return flag == f;
        }) == std::end(valued))
      fatal("unknown option '%s' (see --help)", arg.c_str());
    if (eq == std::string::npos) {
      if (i + 1 >= argc)
        fatal("%s needs a value", flag.c_str());
      value = argv[++i];
    }
    if (flag == "--input")
      opts.inputs.push_back(value);
    else if (flag == "--expect")
      opts.expects.push_back(value);
    else if (flag == "--atol")
      opts.atol = parseDouble(flag, value);
    else if (flag == "--rtol")
      opts.rtol = parseDouble(flag, value);
    else if (flag == "--threads")
      opts.threads = int32_t(parseInt(flag, value, 1024));
    else if (flag == "--bench")
      opts.bench = parseInt(flag, value, 100000000);
    else if (flag == "--output-dir")
      opts.outputDir = value;
  }
  if (!haveLibrary)
    fatal("no model library given (see --help)");
  return opts;
}

//===----------------------------------------------------------------------===//
// Binding files to the model signature
//===----------------------------------------------------------------------===//

/// Binds `specs` ([NAME=]FILE) to the signature `descs`: NAME= by name, then
/// positional .pb files by their TensorProto name, then the rest in order.
/// Returns one optional tensor per descriptor.
std::vector<std::optional<HostTensor>>
bindTensors(const char *kind, const std::vector<std::string> &specs,
            const kiln_tensor_desc_t *descs, int32_t count) {
  auto indexOf = [&](const std::string &name) -> int32_t {
    for (int32_t i = 0; i < count; ++i)
      if (name == descs[i].name)
        return i;
    return -1;
  };
  auto names = [&] {
    std::string s;
    for (int32_t i = 0; i < count; ++i)
      s += std::string(i ? ", " : "") + "'" + descs[i].name + "'";
    return s.empty() ? std::string("none") : s;
  };

  std::vector<std::optional<HostTensor>> bound(static_cast<size_t>(count));
  auto bind = [&](int32_t index, HostTensor t) {
    if (bound[size_t(index)])
      fatal("%s '%s' given twice ('%s' and '%s')", kind, descs[index].name,
            bound[size_t(index)]->path.c_str(), t.path.c_str());
    bound[size_t(index)] = std::move(t);
  };

  std::vector<HostTensor> positional;
  for (const std::string &spec : specs) {
    // A file path may itself contain '=': take the first split whose prefix
    // names a tensor of the model, else treat the whole spec as a path.
    int32_t index = -1;
    std::string path = spec;
    for (size_t eq = spec.find('='); eq != std::string::npos;
         eq = spec.find('=', eq + 1)) {
      index = indexOf(spec.substr(0, eq));
      if (index >= 0) {
        path = spec.substr(eq + 1);
        break;
      }
    }
    if (index < 0 && spec.find('=') != std::string::npos &&
        !std::filesystem::exists(spec))
      fatal("'%s': the model has no %s named '%s' (%ss: %s)", spec.c_str(),
            kind, spec.substr(0, spec.find('=')).c_str(), kind,
            names().c_str());
    HostTensor t = readTensorFile(path);
    if (index >= 0)
      bind(index, std::move(t));
    else
      positional.push_back(std::move(t));
  }

  std::vector<HostTensor> rest;
  for (HostTensor &t : positional) {
    int32_t index = t.protoName.empty() ? -1 : indexOf(t.protoName);
    if (index >= 0 && !bound[size_t(index)])
      bind(index, std::move(t));
    else
      rest.push_back(std::move(t));
  }
  size_t next = 0;
  for (HostTensor &t : rest) {
    while (next < bound.size() && bound[next])
      ++next;
    if (next == bound.size())
      fatal("too many %s files: the model has %d %ss (%s); '%s' is left over",
            kind, (int)count, kind, names().c_str(), t.path.c_str());
    bound[next] = std::move(t);
  }

  // Check against the signature here so the message can name the file.
  for (int32_t i = 0; i < count; ++i) {
    if (!bound[size_t(i)])
      continue;
    const HostTensor &t = *bound[size_t(i)];
    const kiln_tensor_desc_t &d = descs[i];
    if (t.dtype != d.dtype)
      fatal("%s '%s': expected dtype %s, got %s (from '%s')", kind, d.name,
            kiln_dtype_name(d.dtype), kiln_dtype_name(t.dtype), t.path.c_str());
    if (t.shape != std::vector<int64_t>(d.shape, d.shape + d.rank))
      fatal("%s '%s': expected shape %s, got %s (from '%s')", kind, d.name,
            formatShape(d.shape, size_t(d.rank)).c_str(),
            formatShape(t.shape).c_str(), t.path.c_str());
  }
  return bound;
}

//===----------------------------------------------------------------------===//
// Comparison and reporting
//===----------------------------------------------------------------------===//

struct Comparison {
  double maxAbs = 0, maxRel = 0;
  int64_t mismatches = 0;
  int64_t firstBad = -1;
};

Comparison compare(const HostTensor &got, const HostTensor &want, double atol,
                   double rtol) {
  Comparison c;
  int64_t n = got.numel();
  // relErr is |got-want|/|want|: 0 when equal, inf when only want is 0.
  auto record = [&](int64_t i, double absErr, double mag, bool ok) {
    double relErr = absErr == 0 ? 0 : absErr / mag;
    if (std::isnan(relErr))
      relErr = std::numeric_limits<double>::infinity();
    c.maxAbs = std::max(c.maxAbs, absErr);
    c.maxRel = std::max(c.maxRel, relErr);
    if (!ok) {
      if (c.firstBad < 0)
        c.firstBad = i;
      ++c.mismatches;
    }
  };
  if (isFloat(got.dtype)) {
    const double inf = std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < n; ++i) {
      double a = floatAt(got, i), e = floatAt(want, i);
      if (std::isnan(a) || std::isnan(e)) {
        bool both = std::isnan(a) && std::isnan(e);
        record(i, both ? 0 : inf, inf, both);
      } else if (a == e) { // also equal infinities
        record(i, 0, std::fabs(e), true);
      } else {
        double absErr = std::fabs(a - e); // inf when an infinity differs
        record(i, absErr, std::fabs(e),
               absErr <= atol + rtol * std::fabs(e) && !std::isinf(absErr));
      }
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      IntValue a = intAt(got, i), e = intAt(want, i);
      double absErr = intDiff(a, e);
      record(i, absErr, intMagnitude(e), absErr == 0);
    }
  }
  return c;
}

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += char(ch);
    } else if (ch < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", ch);
      out += buf;
    } else {
      out += char(ch);
    }
  }
  return out + "\"";
}

std::string jsonNumber(double v) {
  if (!std::isfinite(v))
    return "null"; // JSON has no inf/nan
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

std::string jsonShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Keeps an output name usable as a file name (ONNX names often contain '/').
std::string fileNameFor(const std::string &name) {
  std::string s;
  for (char ch : name)
    s +=
        (std::isalnum((unsigned char)ch) || ch == '-' || ch == '_' || ch == '.')
            ? ch
            : '_';
  if (s.empty() || s == "." || s == "..")
    s = "_" + s;
  return s;
}

struct SessionDeleter {
  void operator()(kiln_session_t *s) const { kiln_session_destroy(s); }
};

void runOrDie(kiln_session_t *session, const std::vector<kiln_tensor_t> &in,
              const std::vector<kiln_tensor_t> &out) {
  kiln_status_t st =
      kiln_session_run(session, in.data(), in.size(), out.data(), out.size());
  if (st) {
    std::string msg = kiln_status_message(st);
    kiln_status_free(st);
    fatal("run failed: %s", msg.c_str());
  }
}

/// A field of /proc/self/status in KiB (VmRSS: resident now, VmHWM: the
/// peak so far), or -1 where there is none.
long long procStatusKiB(const char *field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t len = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, len, field) == 0 && line.size() > len &&
        line[len] == ':')
      return std::atoll(line.c_str() + len + 1);
  return -1;
}

int runTool(const Options &opts) {
  // Resident memory before the model is loaded: the bench reports what
  // loading and running it added at its peak.
  long long baselineKiB = procStatusKiB("VmRSS");
  // dlopen searches the library path for a bare file name; mean the file.
  std::string libPath = opts.library;
  if (libPath.find('/') == std::string::npos)
    libPath = "./" + libPath;
  void *handle = dlopen(libPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    fatal("cannot load '%s': %s", opts.library.c_str(), dlerror());
  dlerror();
  auto *model = static_cast<const kiln_model_t *>(
      dlsym(handle, KILN_LIBRARY_MODEL_SYMBOL));
  if (!model)
    fatal("'%s' does not export the symbol '%s'; is it a model library built "
          "by kiln-compile?",
          opts.library.c_str(), KILN_LIBRARY_MODEL_SYMBOL);

  kiln_session_options_t sessionOpts;
  kiln_session_options_init(&sessionOpts);
  sessionOpts.num_threads = opts.threads;
  sessionOpts.profile = opts.profile;
  sessionOpts.no_affinity = opts.noAffinity;
  kiln_session_t *rawSession = nullptr;
  if (kiln_status_t st =
          kiln_session_create(model, &sessionOpts, &rawSession)) {
    std::string msg = kiln_status_message(st);
    kiln_status_free(st);
    fatal("cannot create a session for '%s': %s", opts.library.c_str(),
          msg.c_str());
  }
  std::unique_ptr<kiln_session_t, SessionDeleter> session(rawSession);
  std::string modelName = model->name ? model->name : "";

  auto inputs =
      bindTensors("input", opts.inputs, model->inputs, model->num_inputs);
  for (int32_t i = 0; i < model->num_inputs; ++i)
    if (!inputs[size_t(i)])
      fatal("missing input '%s' (%s %s); pass --input %s=FILE",
            model->inputs[i].name, kiln_dtype_name(model->inputs[i].dtype),
            formatShape(model->inputs[i].shape, size_t(model->inputs[i].rank))
                .c_str(),
            model->inputs[i].name);
  auto expects =
      bindTensors("output", opts.expects, model->outputs, model->num_outputs);

  std::vector<HostTensor> outputs(static_cast<size_t>(model->num_outputs));
  for (int32_t i = 0; i < model->num_outputs; ++i) {
    const kiln_tensor_desc_t &d = model->outputs[i];
    outputs[size_t(i)].path = d.name;
    outputs[size_t(i)].allocate(
        d.dtype, std::vector<int64_t>(d.shape, d.shape + d.rank));
  }
  std::vector<kiln_tensor_t> inViews, outViews;
  for (auto &t : inputs)
    inViews.push_back(t->view());
  for (auto &t : outputs)
    outViews.push_back(t.view());

  runOrDie(session.get(), inViews, outViews);

  if (!opts.outputDir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(opts.outputDir, ec);
    if (ec)
      fatal("cannot create '%s': %s", opts.outputDir.c_str(),
            ec.message().c_str());
    for (int32_t i = 0; i < model->num_outputs; ++i)
      writeNpy(opts.outputDir + "/" + fileNameFor(model->outputs[i].name) +
                   ".npy",
               outputs[size_t(i)]);
  }

  // Compare before benchmarking: the timed runs overwrite the outputs.
  bool allOk = true;
  std::string jsonOutputs;
  for (int32_t i = 0; i < model->num_outputs; ++i) {
    const HostTensor &got = outputs[size_t(i)];
    const char *name = model->outputs[i].name;
    std::string shape = formatShape(got.shape);
    const char *dtype = kiln_dtype_name(got.dtype);
    std::string jsonEntry = std::string(i ? "," : "") +
                            "{\"name\":" + jsonString(name) +
                            ",\"shape\":" + jsonShape(got.shape) +
                            ",\"dtype\":" + jsonString(dtype);
    if (!expects[size_t(i)]) {
      if (!opts.json)
        std::printf("%s shape=%s %s values=%s\n", name, shape.c_str(), dtype,
                    preview(got).c_str());
      jsonOutputs += jsonEntry + ",\"checked\":false,\"max_abs_err\":null,"
                                 "\"max_rel_err\":null,\"ok\":null}";
      continue;
    }
    const HostTensor &want = *expects[size_t(i)];
    Comparison c = compare(got, want, opts.atol, opts.rtol);
    bool ok = c.mismatches == 0;
    allOk &= ok;
    if (!opts.json) {
      std::printf("%s shape=%s %s max_abs_err=%.3g max_rel_err=%.3g %s\n", name,
                  shape.c_str(), dtype, c.maxAbs, c.maxRel,
                  ok ? "OK" : "MISMATCH");
      if (!ok) {
        // Show where it first goes wrong: usually enough to start debugging.
        std::string gotV, wantV;
        if (isFloat(got.dtype)) {
          char buf[64];
          std::snprintf(buf, sizeof(buf), "%.9g", floatAt(got, c.firstBad));
          gotV = buf;
          std::snprintf(buf, sizeof(buf), "%.9g", floatAt(want, c.firstBad));
          wantV = buf;
        } else {
          IntValue a = intAt(got, c.firstBad), e = intAt(want, c.firstBad);
          gotV = a.isUnsigned ? std::to_string(a.u) : std::to_string(a.s);
          wantV = e.isUnsigned ? std::to_string(e.u) : std::to_string(e.s);
        }
        std::printf("  %lld of %lld elements differ; first at flat index "
                    "%lld: got %s, expected %s\n",
                    (long long)c.mismatches, (long long)got.numel(),
                    (long long)c.firstBad, gotV.c_str(), wantV.c_str());
      }
    }
    jsonOutputs += jsonEntry +
                   ",\"checked\":true,\"max_abs_err\":" + jsonNumber(c.maxAbs) +
                   ",\"max_rel_err\":" + jsonNumber(c.maxRel) +
                   ",\"mismatches\":" + std::to_string(c.mismatches) +
                   ",\"ok\":" + (ok ? "true" : "false") + "}";
  }

  std::string jsonBench;
  if (opts.bench > 0) {
    int64_t warmups = std::clamp<int64_t>(opts.bench / 10, 1, 3);
    for (int64_t i = 0; i < warmups; ++i)
      runOrDie(session.get(), inViews, outViews);
    // The profile covers the timed runs only.
    kiln_session_profile_reset(session.get());
    std::vector<double> ms;
    ms.reserve(size_t(opts.bench));
    for (int64_t i = 0; i < opts.bench; ++i) {
      auto start = std::chrono::steady_clock::now();
      runOrDie(session.get(), inViews, outViews);
      auto end = std::chrono::steady_clock::now();
      ms.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(ms.begin(), ms.end());
    size_t n = ms.size();
    double median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    if (!opts.json)
      std::printf("bench: runs=%lld warmup=%lld threads=%d median=%.4g ms "
                  "min=%.4g ms max=%.4g ms\n",
                  (long long)opts.bench, (long long)warmups,
                  (int)kiln_session_num_threads(session.get()), median, ms[0],
                  ms[n - 1]);
    jsonBench = ",\"bench\":{\"runs\":" + std::to_string(opts.bench) +
                ",\"warmup\":" + std::to_string(warmups) + ",\"threads\":" +
                std::to_string(kiln_session_num_threads(session.get())) +
                ",\"median_ms\":" + jsonNumber(median) +
                ",\"min_ms\":" + jsonNumber(ms[0]) +
                ",\"max_ms\":" + jsonNumber(ms[n - 1]);
    long long peakKiB = procStatusKiB("VmHWM");
    if (baselineKiB >= 0 && peakKiB >= baselineKiB) {
      double mib = double(peakKiB - baselineKiB) / 1024;
      if (!opts.json)
        std::printf("memory: peak resident %.1f MiB above the %.1f MiB "
                    "before loading the model\n",
                    mib, double(baselineKiB) / 1024);
      jsonBench += ",\"model_peak_mib\":" + jsonNumber(mib);
    }
    jsonBench += "}";
  }

  std::string jsonProfile;
  if (opts.profile) {
    uint64_t runs = 0;
    const uint64_t *ns = kiln_session_profile(session.get(), &runs);
    int32_t n = model->num_kernels;
    double total = 0;
    for (int32_t i = 0; ns && i < n; ++i)
      total += double(ns[i]);
    double perRun = runs ? total / double(runs) / 1e6 : 0;
    if (!opts.json) {
      std::printf("profile: %llu runs, %.4g ms per run in %d kernels\n",
                  (unsigned long long)runs, perRun, (int)n);
      std::printf("%5s  %-40s %10s %7s\n", "#", "kernel", "ms/run", "share");
    }
    jsonProfile =
        ",\"profile\":{\"runs\":" + std::to_string(runs) + ",\"kernels\":[";
    for (int32_t i = 0; ns && runs && i < n; ++i) {
      double ms = double(ns[i]) / double(runs) / 1e6;
      double share = total > 0 ? 100.0 * double(ns[i]) / total : 0;
      const char *name = model->kernel_names[i];
      if (!opts.json)
        std::printf("%5d  %-40s %10.4f %6.1f%%\n", (int)i, name, ms, share);
      jsonProfile += std::string(i ? "," : "") +
                     "{\"name\":" + jsonString(name) +
                     ",\"ms\":" + jsonNumber(ms) +
                     ",\"share\":" + jsonNumber(share / 100.0) + "}";
    }
    jsonProfile += "]}";
  }

  if (opts.json)
    std::printf(
        "{\"model\":%s,\"library\":%s,\"outputs\":[%s]%s%s,\"ok\":%s}\n",
        jsonString(modelName).c_str(), jsonString(opts.library).c_str(),
        jsonOutputs.c_str(), jsonBench.c_str(), jsonProfile.c_str(),
        allOk ? "true" : "false");
  std::fflush(stdout);
  return allOk ? kExitOk : kExitMismatch;
}

} // namespace

int main(int argc, char **argv) {
  try {
    std::optional<Options> opts = parseArgs(argc, argv);
    if (!opts) {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    return runTool(*opts);
  } catch (const Fatal &e) {
    std::fflush(stdout);
    std::fprintf(stderr, "kiln-run: error: %s\n", e.what());
    return kExitError;
  } catch (const std::exception &e) {
    std::fflush(stdout);
    std::fprintf(stderr, "kiln-run: error: %s\n", e.what());
    return kExitError;
  }
}
