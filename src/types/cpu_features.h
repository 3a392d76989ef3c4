#pragma once
// What the CPU can do beyond the baseline the project is compiled for, asked once (the hot
// paths that have a faster way on newer CPUs choose it at run time: the response CRC, the
// JSON writer's strings).

namespace localdynamo {

#if defined(__x86_64__)
// Function-local statics, so that they are right whenever they are first asked, static
// initializers included (__builtin_cpu_init first: libgcc's own initializer may not have
// run yet then).
inline bool CpuHasPclmul() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  }();
  return has;
}
// AVX-512 F, BW and VL with BMI2: byte-masked loads, stores and compares.
inline bool CpuHasAvx512Bw() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2");
  }();
  return has;
}
// 512-bit carry-less multiplication (VPCLMULQDQ with AVX-512 F and VL).
inline bool CpuHasVpclmul() {
  static const bool has = [] {
    __builtin_cpu_init();
    return CpuHasPclmul() && __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("vpclmulqdq");
  }();
  return has;
}
#endif

}  // namespace localdynamo
