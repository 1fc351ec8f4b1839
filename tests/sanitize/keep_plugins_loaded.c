/* Preloaded into the processes of sanitizer test runs (cmake/sanitizers.cmake: LD_PRELOAD in
 * ELEC_SANITIZER_ENVIRONMENT). Open MPI 4.1 unloads its plugins (mca_*.so) with dlclose in MPI_Finalize, and has no
 * setting to keep them; LeakSanitizer then reports the memory they never freed with frames in "<unknown module>",
 * which no suppression can match, so every MPI program would fail. With dlclose a no-op the plugins stay mapped,
 * their frames keep their file names, and tests/sanitize/lsan.supp suppresses exactly those libraries.
 * Built without sanitizers: it is also loaded into mpirun, which is not instrumented. */
int dlclose(void* handle) {
  (void)handle;
  return 0;
}
