"""The learner's tools for evloop-kata (progress, hint, list, grade, check-stub).

Python 3 standard library only: the tools must run on a fresh machine with
nothing but the compiler toolchain and CMake installed.
"""
