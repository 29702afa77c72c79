// main() for data-plane tests that need EAL: ordinary memory (--no-huge), no PCI, no runtime
// files; lcore 1 runs a worker for the concurrency tests.
#include <gtest/gtest.h>
#include <rte_eal.h>

#include <string>
#include <vector>

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  std::vector<std::string> args = {"tests", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
                                   "--no-telemetry", "--lcores=0,1", "--log-level=error"};
  std::vector<char*> eal_argv;
  for (std::string& a : args) eal_argv.push_back(a.data());
  if (rte_eal_init(static_cast<int>(eal_argv.size()), eal_argv.data()) < 0) {
    fprintf(stderr, "EAL initialisation failed\n");
    return 1;
  }
  const int rc = RUN_ALL_TESTS();
  rte_eal_cleanup();
  return rc;
}
