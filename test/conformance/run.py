#!/usr/bin/python3
"""Runs the ONNX backend conformance tests through kiln-compile and kiln-run.

Each test directory holds model.onnx and test_data_set_*/{input,output}_N.pb.
A test is compiled once and run on each of its data sets; its outcome is

  passed       every data set ran and matched (rtol 1e-3, atol 1e-5; integer
               and bool outputs exactly),
  failed       it compiled, but a data set mismatched, failed at run time,
               crashed or timed out (or kiln-compile itself crashed),
  unsupported  kiln-compile rejected the model (its first error line),
  excluded     the model needs training ops, sequences, optionals or control
               flow, which are out of scope for an inference compiler; it is
               not run.

The run is checked against an expectations file listing every test that does
not pass yet (`suite/test_name: reason`, `#` comments): a failing test that
is not listed is a regression, a listed test that passes must be removed from
the list. The exit status is 0 only when the run matches the expectations.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

DATA_ROOT = "/usr/share/libonnx-testdata/data"
DEFAULT_SUITES = "node,pytorch-converted,pytorch-operator,simple"
SRC_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# Op types that make a test out of scope (see the module docstring).
CONTROL_FLOW = {"Loop", "If", "Scan"}
SEQUENCE_OPS = {"SplitToSequence", "ConcatFromSequence"}
# The operators the coverage goal names (opset <= 17). A node test is "in
# scope" when every op of its model is one of these.
SCOPE_OPS = set("""
Abs Acos Acosh Asin Asinh Atan Atanh Cos Cosh Sin Sinh Tan Tanh Add And ArgMax
ArgMin AveragePool BatchNormalization Cast CastLike Ceil Celu Clip Concat
Constant ConstantOfShape Conv ConvTranspose CumSum DepthToSpace
DequantizeLinear Div Dropout Einsum Elu Equal Erf Exp Expand EyeLike Flatten
Floor Gather GatherElements GatherND Gemm GlobalAveragePool GlobalMaxPool
Greater GreaterOrEqual HardSigmoid HardSwish Hardmax Identity
InstanceNormalization IsInf IsNaN LayerNormalization LeakyRelu Less
LessOrEqual Log LogSoftmax LRN MatMul MatMulInteger Max MaxPool Mean
MeanVarianceNormalization Min Mod Mul Neg Not OneHot Or Pad Pow PRelu
QLinearConv QLinearMatMul QuantizeLinear ConvInteger DynamicQuantizeLinear
Range Reciprocal ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceMax
ReduceMean ReduceMin ReduceProd ReduceSum ReduceSumSquare Relu Reshape Resize
Round Selu Shape Shrink Sigmoid Sign Size Slice Softmax Softplus Softsign
SpaceToDepth Split Sqrt Squeeze Sub Sum ThresholdedRelu Tile TopK Transpose
Trilu Unsqueeze Upsample Where Xor BitShift
""".split())

TRAINING_OPS = {"Gradient", "Adagrad", "Adam", "Momentum"}
TRAINING_DOMAINS = {"ai.onnx.preview.training"}


def exclusion_reason(model):
    """Why a model is out of scope, or None."""
    import onnx

    def walk(graph):
        for node in graph.node:
            yield node
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    yield from walk(attr.g)
                elif attr.type == onnx.AttributeProto.GRAPHS:
                    for g in attr.graphs:
                        yield from walk(g)

    for node in walk(model.graph):
        op = node.op_type
        if node.domain in TRAINING_DOMAINS or op in TRAINING_OPS:
            return "training op %s" % op
        if op in CONTROL_FLOW:
            return "control flow op %s" % op
        if op.startswith("Sequence") or op in SEQUENCE_OPS:
            return "sequence op %s" % op
        if op.startswith("Optional"):
            return "optional op %s" % op
        # Dropout in training mode draws random masks; BatchNormalization in
        # training mode updates running statistics.
        if op == "Dropout" and len(node.input) > 2 and node.input[2]:
            return "training op Dropout with training_mode"
        if op == "BatchNormalization" and any(
                a.name == "training_mode" and a.i for a in node.attribute):
            return "training op BatchNormalization with training_mode=1"
    for vi in list(model.graph.input) + list(model.graph.output):
        kind = vi.type.WhichOneof("value")
        if kind in ("sequence_type", "optional_type", "map_type"):
            return "graph %s '%s' is a %s" % (
                "input" if vi in model.graph.input else "output", vi.name,
                kind.replace("_type", ""))
    return None


def numbered(paths):
    """Sorts input_N.pb / test_data_set_N by N."""
    def key(p):
        m = re.search(r"(\d+)(\.pb)?$", p)
        return int(m.group(1)) if m else -1
    return sorted(paths, key=key)


def first_error(text):
    """The first error line of a tool's output, without its location."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        i = l.find("error: ")
        if i >= 0:
            return l[i + len("error: "):]
    for l in lines:
        if l.startswith("Assertion") or "Assertion" in l:
            return l
    return lines[0] if lines else "(no output)"


def run_cmd(cmd, timeout):
    """(returncode or 'timeout', combined output)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout,
                           start_new_session=True)
    except subprocess.TimeoutExpired as e:
        out = e.output.decode("utf-8", "replace") if e.output else ""
        return "timeout", out
    return p.returncode, p.stdout.decode("utf-8", "replace")


def describe_signal(rc):
    try:
        return signal.Signals(-rc).name
    except ValueError:
        return "signal %d" % -rc


def run_test(job):
    """Compiles and runs one test directory; returns a result dict."""
    suite, test_dir, bin_dir, timeout, tmp_root = job
    import onnx
    name = os.path.basename(test_dir)
    result = {"suite": suite, "name": name, "id": "%s/%s" % (suite, name),
              "ops": [], "outcome": None, "error": "", "reason": ""}
    start = time.time()
    try:
        model = onnx.load(os.path.join(test_dir, "model.onnx"))
        ops = []
        for n in model.graph.node:
            if n.op_type not in ops:
                ops.append(n.op_type)
        result["ops"] = ops
        excl = exclusion_reason(model)
    except Exception as e:  # onnx cannot read it; let kiln-compile say why
        excl = None
    if excl:
        result.update(outcome="excluded", error=excl, reason=excl)
        return result

    work = tempfile.mkdtemp(prefix="kiln-conf-", dir=tmp_root)
    try:
        lib = os.path.join(work, "lib.so")
        rc, out = run_cmd([os.path.join(bin_dir, "kiln-compile"),
                           os.path.join(test_dir, "model.onnx"), "-o", lib],
                          timeout)
        if rc == "timeout":
            result.update(outcome="failed",
                          error="kiln-compile timed out after %ss" % timeout,
                          reason="kiln-compile timeout")
            return result
        if rc != 0:
            err = first_error(out)
            if rc < 0 or "error:" not in out:
                what = describe_signal(rc) if rc < 0 else "exit %d" % rc
                result.update(outcome="failed",
                              error="kiln-compile crashed (%s): %s" % (what, err),
                              reason="kiln-compile crash: " + err)
            else:
                result.update(outcome="unsupported", error=err,
                              reason=short_reason(err))
            return result

        data_sets = numbered(glob.glob(os.path.join(test_dir, "test_data_set_*")))
        if not data_sets:
            result.update(outcome="failed", error="no test data sets",
                          reason="no test data sets")
            return result
        for ds in data_sets:
            cmd = [os.path.join(bin_dir, "kiln-run"), lib]
            for f in numbered(glob.glob(os.path.join(ds, "input_*.pb"))):
                cmd += ["--input", f]
            for f in numbered(glob.glob(os.path.join(ds, "output_*.pb"))):
                cmd += ["--expect", f]
            cmd += ["--json", "--rtol", "1e-3", "--atol", "1e-5"]
            rc, out = run_cmd(cmd, timeout)
            where = os.path.basename(ds)
            if rc == 0:
                continue
            if rc == "timeout":
                result.update(outcome="failed",
                              error="%s: kiln-run timed out after %ss" % (where, timeout),
                              reason="run timeout")
                return result
            if rc < 0:
                result.update(outcome="failed",
                              error="%s: kiln-run crashed (%s)" % (where, describe_signal(rc)),
                              reason="crash at run time (%s)" % describe_signal(rc))
                return result
            report = None
            for line in out.splitlines():
                if line.startswith("{"):
                    try:
                        report = json.loads(line)
                    except ValueError:
                        pass
            bad = [o for o in (report or {}).get("outputs", [])
                   if not o.get("ok", True)]
            if rc == 1 and bad:
                o = bad[0]
                # kiln-run writes null for a NaN error.
                for k in ("max_abs_err", "max_rel_err"):
                    if o.get(k) is None:
                        o[k] = float("nan")
                err = "%s: output '%s' mismatched: max_abs_err %.3g, " \
                      "max_rel_err %.3g, %s mismatches" % (
                          where, o.get("name"), o.get("max_abs_err", float("nan")),
                          o.get("max_rel_err", float("nan")), o.get("mismatches"))
                if o.get("error"):
                    err = "%s: output '%s': %s" % (where, o.get("name"), o["error"])
                result.update(outcome="failed", error=err,
                              reason="wrong result: max_abs_err %.3g" %
                              o.get("max_abs_err", float("nan")))
                return result
            err = first_error(out)
            result.update(outcome="failed", error="%s: kiln-run: %s" % (where, err),
                          reason="run error: " + shorten(
                              re.sub(r" \(from '[^']*'\)", "", err)))
            return result
        result["outcome"] = "passed"
        return result
    finally:
        result["seconds"] = round(time.time() - start, 2)
        shutil.rmtree(work, ignore_errors=True)


def shorten(text, n=100):
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def short_reason(err):
    """A short expectation reason from a kiln-compile error line."""
    m = re.search(r"\((\w+), opset \d+\): unsupported operator$", err)
    if m:
        return "unsupported operator " + m.group(1)
    m = re.search(r"unsupported (?:target )?dtype (\w+)", err)
    if m:
        return "dtype %s unsupported" % m.group(1)
    m = re.search(r"cannot convert opset (\d+) to 13", err)
    if m:
        return "opset %s conversion failed" % m.group(1)
    m = re.search(r"is dynamic; Kiln compiles static shapes", err)
    if m:
        return "dynamic shape"
    if "cannot be converted to LLVM IR" in err:
        return "codegen: " + shorten(err, 80)
    m = re.match(r"node '[^']*' \((\w+), opset \d+\): (.*)", err)
    if m:
        # Value names are long in expanded function tests and say little.
        return shorten("%s: %s" % (m.group(1),
                                   re.sub(r" \(input '[^']*'\)", "", m.group(2))))
    return shorten(err)


def read_expectations(path):
    """{test id: reason}, in file order."""
    expected = collections.OrderedDict()
    if not os.path.exists(path):
        return expected
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition(":")
            expected[key.strip()] = reason.strip()
    return expected


def write_expectations(path, expected):
    header = """\
# ONNX backend conformance tests that do not pass yet, one per line:
#   suite/test_name: reason
# test/conformance/run.py fails when a test not listed here does not pass (a
# regression) and when a listed test passes (remove it from the list).
# Regenerate with `run.py --update-expectations` (existing reasons are kept).
# Tests needing training ops, sequences, optionals or control flow are
# excluded by run.py itself and are not listed.
"""
    by_suite = collections.defaultdict(list)
    for key, reason in expected.items():
        by_suite[key.split("/", 1)[0]].append((key, reason))
    with open(path, "w") as f:
        f.write(header)
        for suite in sorted(by_suite):
            f.write("\n# %s\n" % suite)
            for key, reason in sorted(by_suite[suite]):
                f.write("%s: %s\n" % (key, reason))


def pct(a, b):
    return "%.1f%% (%d/%d)" % (100.0 * a / b if b else 0.0, a, b)


def make_report(results, suites, checks, elapsed):
    out = []
    w = out.append
    outcomes = ["passed", "failed", "unsupported", "excluded"]
    w("ONNX backend conformance (kiln), %d tests, %.0f s" % (len(results), elapsed))
    w("")
    w("%-20s %7s %7s %7s %11s %9s" % ("suite", "total", "passed", "failed",
                                      "unsupported", "excluded"))
    total = collections.Counter()
    for suite in suites:
        c = collections.Counter(r["outcome"] for r in results if r["suite"] == suite)
        n = sum(c.values())
        total.update(c)
        w("%-20s %7d %7d %7d %11d %9d" % (suite, n, *[c[o] for o in outcomes]))
    w("%-20s %7d %7d %7d %11d %9d" % ("all", sum(total.values()),
                                      *[total[o] for o in outcomes]))
    w("")
    w("Pass rates (excluded tests not counted):")
    node = [r for r in results if r["suite"] == "node" and r["outcome"] != "excluded"]
    other = [r for r in results if r["suite"] != "node" and r["outcome"] != "excluded"]
    scope = [r for r in node if r["ops"] and set(r["ops"]) <= SCOPE_OPS]
    w("  node tests of the operators in scope:     " +
      pct(sum(r["outcome"] == "passed" for r in scope), len(scope)))
    w("  all node tests:                           " +
      pct(sum(r["outcome"] == "passed" for r in node), len(node)))
    w("  pytorch-converted + pytorch-operator + simple: " +
      pct(sum(r["outcome"] == "passed" for r in other), len(other)))
    for suite in suites:
        rs = [r for r in results if r["suite"] == suite and r["outcome"] != "excluded"]
        w("  %-40s %s" % (suite + ":", pct(sum(r["outcome"] == "passed" for r in rs), len(rs))))
    w("")

    if checks:
        w("Expectation mismatches (%d):" % len(checks))
        for line in checks:
            w("  FAIL " + line)
        w("")

    w("Per operator (node tests; a test counts under each op type of its nodes):")
    w("  %-28s %6s %6s %6s %11s %8s" % ("op", "tests", "passed", "failed",
                                        "unsupported", "excluded"))
    per_op = collections.defaultdict(collections.Counter)
    for r in results:
        if r["suite"] != "node":
            continue
        for op in r["ops"] or ["(none)"]:
            per_op[op][r["outcome"]] += 1
    for op in sorted(per_op):
        c = per_op[op]
        w("  %-28s %6d %6d %6d %11d %8d" % (op, sum(c.values()),
                                           *[c[o] for o in outcomes]))
    w("")

    for outcome in ["failed", "unsupported", "excluded"]:
        rs = sorted((r for r in results if r["outcome"] == outcome),
                    key=lambda r: r["id"])
        w("%s (%d):" % (outcome.capitalize(), len(rs)))
        for r in rs:
            w("  %s [%s]: %s" % (r["id"], " ".join(r["ops"][:4]) +
                                 (" ..." if len(r["ops"]) > 4 else ""), r["error"]))
        w("")
    return "\n".join(out)


def snapshot_tools(bin_dir, tmp_root):
    """Copies kiln-compile, kiln-run and the runtime archive kiln-compile
    links (<bin>/../lib) to tmp_root, so that a rebuild during the run does
    not swap the tools under it; returns the copy's bin directory."""
    for attempt in range(30):
        try:
            os.makedirs(os.path.join(tmp_root, "bin"), exist_ok=True)
            for tool in ("kiln-compile", "kiln-run"):
                shutil.copy2(os.path.join(bin_dir, tool),
                             os.path.join(tmp_root, "bin", tool))
            runtime = os.path.join(os.path.dirname(bin_dir), "lib",
                                   "libkiln_runtime.a")
            if os.path.exists(runtime):
                os.makedirs(os.path.join(tmp_root, "lib"), exist_ok=True)
                shutil.copy2(runtime, os.path.join(tmp_root, "lib"))
            return os.path.join(tmp_root, "bin")
        except OSError:  # being relinked right now
            time.sleep(2)
    sys.exit("run.py: cannot copy the tools from %s" % bin_dir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(SRC_ROOT, "build", "bin"),
                    help="directory of kiln-compile and kiln-run")
    ap.add_argument("--data", default=DATA_ROOT, help="ONNX backend test data")
    ap.add_argument("--suites", default=DEFAULT_SUITES)
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--filter", help="regex on suite/test_name")
    ap.add_argument("--report", help="write the full text report here")
    ap.add_argument("--expectations", default=os.path.join(
        SRC_ROOT, "test", "conformance", "expected-failures.txt"))
    ap.add_argument("--update-expectations", action="store_true",
                    help="rewrite the expectations from this run, keeping "
                         "existing reasons")
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds per kiln-compile / kiln-run command")
    ap.add_argument("--json", help="also write per-test results as JSON here")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print each test's outcome as it finishes")
    args = ap.parse_args()

    bin_dir = os.path.abspath(args.bin)
    for tool in ("kiln-compile", "kiln-run"):
        if not os.access(os.path.join(bin_dir, tool), os.X_OK):
            sys.exit("run.py: %s not found in %s" % (tool, bin_dir))
    suites = [s for s in args.suites.split(",") if s]
    filt = re.compile(args.filter) if args.filter else None
    tests = []
    for suite in suites:
        dirs = sorted(glob.glob(os.path.join(args.data, suite, "test_*")))
        if not dirs:
            sys.exit("run.py: no tests in %s" % os.path.join(args.data, suite))
        for d in dirs:
            if not os.path.isfile(os.path.join(d, "model.onnx")):
                continue
            tid = "%s/%s" % (suite, os.path.basename(d))
            if filt and not filt.search(tid):
                continue
            tests.append((suite, d))

    tmp_root = tempfile.mkdtemp(prefix="kiln-conformance-")
    start = time.time()
    results = []
    try:
        bin_dir = snapshot_tools(bin_dir, tmp_root)
        jobs = [(s, d, bin_dir, args.timeout, tmp_root) for s, d in tests]
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for r in pool.map(run_test, jobs, chunksize=1):
                results.append(r)
                if args.verbose:
                    print("%-11s %s %s" % (r["outcome"], r["id"], r["error"]),
                          flush=True)
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    elapsed = time.time() - start

    expected = read_expectations(args.expectations)
    ran = {r["id"]: r for r in results}
    checks = []
    for r in results:
        listed = r["id"] in expected
        if r["outcome"] in ("failed", "unsupported") and not listed:
            checks.append("%s: regression: %s (%s)" % (r["id"], r["outcome"], r["error"]))
        elif r["outcome"] == "passed" and listed:
            checks.append("%s: unexpected pass, remove it from the list" % r["id"])
    stale = []
    for key in expected:
        r = ran.get(key)
        if r and r["outcome"] == "excluded":
            stale.append("%s is listed but excluded" % key)
        elif not r and key.split("/", 1)[0] in suites and not filt \
                and not os.path.isdir(os.path.join(args.data, key)):
            stale.append("%s is listed but does not exist" % key)
    checks += stale

    if args.update_expectations:
        new = collections.OrderedDict()
        for key, reason in expected.items():
            # Tests this run did not cover keep their entries.
            if key not in ran and os.path.isdir(os.path.join(args.data, key)):
                new[key] = reason
        for r in results:
            if r["outcome"] in ("failed", "unsupported"):
                new[r["id"]] = expected.get(r["id"]) or r["reason"]
        write_expectations(args.expectations, new)
        print("run.py: wrote %d entries to %s" % (len(new), args.expectations))
        checks = []

    report = make_report(results, suites, checks, elapsed)
    if args.report:
        with open(args.report, "w") as f:
            f.write(report + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    # The summary: everything before the per-operator table, with at most
    # 40 expectation mismatches.
    summary = report.split("\nPer operator")[0].splitlines()
    shown = [l for l in summary if l.startswith("  FAIL ")]
    if len(shown) > 40:
        cut = summary.index(shown[40])
        summary = summary[:cut] + ["  ... %d more%s" % (
            len(shown) - 40, ", see " + args.report if args.report else "")] + \
            summary[cut + len(shown) - 40:]
    print("\n".join(summary))
    if checks:
        print("run.py: the run does not match %s" % args.expectations)
        return 1
    print("run.py: the run matches %s" % args.expectations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
