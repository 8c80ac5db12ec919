// The one source of kata_pch (harness/CMakeLists.txt): CMake compiles the
// precompiled standard headers as part of this target, and every exercise
// target reuses them.
