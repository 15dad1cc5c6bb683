// The `sluice` binary: the worker and the command line that administers it.
// Subcommands arrive with the runtime and admin API work; for now it reports its version.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "version") == 0)) {
    std::printf("sluice %s\n", SLUICE_VERSION);
    return 0;
  }
  std::fprintf(stderr,
               "usage: sluice --version\n"
               "The worker and admin commands are not built yet; see README.md.\n");
  return 2;
}
