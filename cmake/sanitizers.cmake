# Sanitizer and fuzzing builds (scripts/sanitize.sh configures both in build-asan).
#
# ELEC_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer on everything built here (library, program, tests,
#   benchmarks), with clang or g++. UBSan does not recover, so a report aborts the process and fails its test
#   instead of scrolling past in a log. Frame pointers keep the reports' stacks complete and cheap to unwind.
#   The runtime options (leak suppressions for Open MPI and HDF5) are in tests/sanitize/ and reach the tests
#   through ELEC_SANITIZER_ENVIRONMENT; the same settings by hand: bench/fuzz.md.
# ELEC_FUZZ: the libFuzzer harnesses of tests/fuzz (clang only; implies ELEC_SANITIZE). tests/fuzz/CMakeLists.txt
#   adds libFuzzer's coverage instrumentation (-fsanitize=fuzzer-no-link) to the library code the fuzzers exercise.
option(ELEC_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(ELEC_FUZZ "Build the libFuzzer harnesses of tests/fuzz (clang only; implies ELEC_SANITIZE)" OFF)

if(ELEC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ELEC_FUZZ needs clang's libFuzzer: configure a fresh build directory with "
                        "CC=clang CXX=clang++ (scripts/sanitize.sh does)")
  endif()
  set(ELEC_SANITIZE ON CACHE BOOL "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" FORCE)
endif()

if(ELEC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Keeps Open MPI's plugins loaded so that their leaks can be suppressed by name (see the file). Built without
  # the sanitizers: it is preloaded into mpirun too.
  add_library(elec_keep_plugins_loaded SHARED ${PROJECT_SOURCE_DIR}/tests/sanitize/keep_plugins_loaded.c)
  set_target_properties(elec_keep_plugins_loaded PROPERTIES COMPILE_OPTIONS "" LINK_OPTIONS "")
  # Environment of every test of this build (tests/CMakeLists.txt and tests/fuzz/CMakeLists.txt add it).
  # verify_asan_link_order=0: with g++, libasan is a shared library and the preloaded one comes before it.
  # intercept_tls_get_addr=0: clang 14's LeakSanitizer records a bogus dynamic-TLS range with glibc 2.36 and then
  # crashes at exit ("Tracer caught signal 11", e.g. `elec_hpc frobnicate` exits 1 instead of 2); without the
  # interception it scans static TLS (our thread_locals) as before and skips only dlopen'ed modules' TLS.
  set(ELEC_SANITIZER_ENVIRONMENT
      "LD_PRELOAD=$<TARGET_FILE:elec_keep_plugins_loaded>"
      "ASAN_OPTIONS=check_initialization_order=1:strict_init_order=1:verify_asan_link_order=0:intercept_tls_get_addr=0"
      "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/sanitize/lsan.supp:print_suppressions=0"
      "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()
