"""Inputs and numpy expectations of types.onnxtxt, written to argv[1]."""
import os
import sys

import numpy as np

out = sys.argv[1]


def save(name, array):
    np.save(os.path.join(out, name + ".npy"), array)


A = np.array([1, 2, 200, 255, 0, 128], np.uint8)
B = np.array([1, 7, 3, 8, 5, 1], np.uint8)
I = np.array([7, -7, 7, -7, 0, 5], np.int32)
J = np.array([3, 3, -3, -3, 2, -5], np.int32)
F = np.array([1.5, -np.inf, np.inf, np.nan, -0.0, 3.0], np.float32)
C = np.array([True, False, True, True, False, True])
# Above 2^63: wrong if read as signed.
U = np.array([2**64 - 1, 1, 2**63 + 5, 0, 7, 2**63], np.uint64)
U2 = np.array([1, 2, 3, 4, 5, 6], np.uint64)
for name, v in dict(A=A, B=B, I=I, J=J, F=F, C=C, U=U).items():
    save(name, v)
# numpy shifts of unsigned values by the width or more give 0, as Kiln.
save("SHL", np.left_shift(A, B))
save("SHR", np.right_shift(A, B))
save("MX", np.maximum(A, B))
save("DV", A // B)
save("MOD", np.mod(I, J))
save("FMOD", np.fmod(I, J))
LT = A < B
save("LT", LT)
save("LOGIC", np.logical_xor(C & LT, I != J))
save("SIGN", np.sign(I).astype(np.int32))
save("INF", np.isinf(F))
save("NAN", np.isnan(F))
save("CU", I.astype(np.uint16))
af = A.astype(np.float32)
save("WH", np.where(C, np.where(np.isnan(F), af, F), af))
save("RANGE", np.arange(10, -1, -3, dtype=np.int64))
save("UMIN", np.minimum(U, U2))
save("NEG", -I.astype(np.int8))
save("UF", U.astype(np.float32))

# types_fp.onnxtxt: the float unary ops on f16 and f64 (f16 computed in f32
# by numpy, so compared with a tolerance).
H = np.array([0.5, -1.5, 2.5, 3.25, -4.0, 7.0], np.float16)
D = H.astype(np.float64) * 1.1
save("H", H)
save("D", D)


def chain(x):
    h2 = np.sqrt(np.abs(x))
    h4 = np.log(np.exp(h2))
    h9 = np.ceil(np.reciprocal(h4)) + np.floor(h4) + np.round(x)
    return -h9, h2


hr, _ = chain(H.astype(np.float32))
save("HR", np.maximum(hr.astype(np.float16), H))
dr, d2 = chain(D)
save("DR", np.minimum(dr, D))
save("HS", np.sign(H))
save("DS", np.fmod(D, d2))
