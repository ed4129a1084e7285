"""Writes the .npy/.npz fixtures of NpyTests and NpzTests with real numpy (run from this folder).

Generated with numpy 2.4.6; the files are committed so the tests need no Python.
"""
import numpy as np

np.save("f4_2x3.npy", (np.arange(6, dtype="<f4").reshape(2, 3) * 0.5 - 1))
np.save("f8_big_endian_3.npy", np.array([1.5, -2.25, 1e-300], dtype=">f8"))
np.save("i8_2x2.npy", np.array([[1, -2], [3, 2**40]], dtype="<i8"))
np.save("i4_scalar.npy", np.array(7, dtype="<i4"))
# a transposed view is F-contiguous: numpy stores it with fortran_order True
np.save("f8_fortran_2x3.npy", (np.arange(6, dtype="<f8").reshape(3, 2) + 0.25).T)
np.save("f4_empty_0x3.npy", np.zeros((0, 3), dtype="<f4"))
np.save("f4_rank3.npy", np.arange(24, dtype="<f4").reshape(2, 3, 4) / 8)
np.savez("savez.npz", a=np.arange(3, dtype="<f8"), b=np.ones((2, 2), dtype="<f4"))
np.savez_compressed("savez_compressed.npz", a=np.arange(3, dtype="<f8"), b=np.ones((2, 2), dtype="<f4"))
