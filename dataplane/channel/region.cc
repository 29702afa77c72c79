#include "dataplane/channel/region.h"

#include <fcntl.h>
#include <rte_ring_elem.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <utility>

namespace trunkgate::channel {
namespace {

constexpr uint64_t kAlign = 128;  // rings and stats blocks start on their own cache lines

uint64_t align_up(uint64_t v) { return (v + kAlign - 1) & ~(kAlign - 1); }

bool is_power_of_two(unsigned v) { return v != 0 && (v & (v - 1)) == 0; }

std::string errno_text(const char* what, const std::string& name) {
  return std::string(what) + " " + name + ": " + std::strerror(errno);
}

struct Layout {
  uint64_t command_ring[kMaxWorkers] = {};
  uint64_t event_ring = 0;
  uint64_t worker_stats = 0;
  uint64_t port_stats = 0;
  uint64_t total = 0;
};

Layout plan(const RegionParams& p) {
  Layout l;
  uint64_t off = align_up(sizeof(RegionHeader));
  const uint64_t cmd_ring_size =
      static_cast<uint64_t>(rte_ring_get_memsize_elem(sizeof(Command), p.command_ring_slots));
  for (unsigned w = 0; w < p.n_workers; ++w) {
    l.command_ring[w] = off;
    off = align_up(off + cmd_ring_size);
  }
  l.event_ring = off;
  off = align_up(off + static_cast<uint64_t>(
                           rte_ring_get_memsize_elem(sizeof(Event), p.event_ring_slots)));
  l.worker_stats = off;
  off = align_up(off + sizeof(WorkerStats) * kMaxWorkers);
  l.port_stats = off;
  off = align_up(off + sizeof(PortStats) * kMaxInterfaces);
  l.total = off;
  return l;
}

// True when the object belongs to a data plane that is still running.
bool owner_alive(const std::string& name) {
  const int fd = shm_open(name.c_str(), O_RDONLY, 0);
  if (fd < 0) return false;
  RegionHeader h{};
  const bool read_ok = pread(fd, &h, sizeof(h), 0) == static_cast<ssize_t>(sizeof(h));
  close(fd);
  return read_ok && h.magic == kRegionMagic && h.dp_pid != 0 &&
         (kill(static_cast<pid_t>(h.dp_pid), 0) == 0 || errno == EPERM);
}

}  // namespace

Region::Region(Region&& other) noexcept { *this = std::move(other); }

Region& Region::operator=(Region&& other) noexcept {
  if (this != &other) {
    release();
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
    unlink_name_ = std::exchange(other.unlink_name_, {});
  }
  return *this;
}

Region::~Region() { release(); }

void Region::release() {
  if (base_ != nullptr) munmap(base_, size_);
  if (!unlink_name_.empty()) shm_unlink(unlink_name_.c_str());
  base_ = nullptr;
  size_ = 0;
  unlink_name_.clear();
}

bool Region::valid_instance_name(const std::string& instance) {
  if (instance.empty() || instance.size() >= sizeof(RegionHeader::instance)) return false;
  for (char c : instance)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

bool Region::create(const RegionParams& p, Region& out, std::string& error) {
  if (!valid_instance_name(p.instance)) {
    error = "instance name '" + p.instance + "' must be 1-31 characters of [A-Za-z0-9_-]";
    return false;
  }
  if (p.n_workers == 0 || p.n_workers > kMaxWorkers) {
    error = "worker count must be 1.." + std::to_string(kMaxWorkers);
    return false;
  }
  if (!is_power_of_two(p.command_ring_slots) || !is_power_of_two(p.event_ring_slots)) {
    error = "ring sizes must be powers of two";
    return false;
  }
  const std::string name = shm_name(p.instance);
  if (owner_alive(name)) {
    error = "instance '" + p.instance + "' is already running (shared memory " + name + ")";
    return false;
  }
  shm_unlink(name.c_str());  // a stale object of a data plane that died
  const int fd = shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    error = errno_text("cannot create shared memory", name);
    return false;
  }
  const Layout l = plan(p);
  if (ftruncate(fd, static_cast<off_t>(l.total)) != 0) {
    error = errno_text("cannot size shared memory", name);
    close(fd);
    shm_unlink(name.c_str());
    return false;
  }
  void* base = mmap(nullptr, l.total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (base == MAP_FAILED) {
    error = errno_text("cannot map shared memory", name);
    shm_unlink(name.c_str());
    return false;
  }
  out.release();
  out.base_ = base;
  out.size_ = l.total;
  out.unlink_name_ = name;

  RegionHeader& h = out.header();
  h.magic = kRegionMagic;
  h.version = kSchemaVersion;
  h.header_size = sizeof(RegionHeader);
  h.total_size = l.total;
  h.dp_pid = static_cast<uint32_t>(getpid());
  h.n_workers = p.n_workers;
  h.command_ring_slots = p.command_ring_slots;
  h.event_ring_slots = p.event_ring_slots;
  h.media_port_min = p.media_port_min;
  h.media_port_max = p.media_port_max;
  std::memcpy(h.command_ring_offset, l.command_ring, sizeof(l.command_ring));
  h.event_ring_offset = l.event_ring;
  h.worker_stats_offset = l.worker_stats;
  h.port_stats_offset = l.port_stats;
  std::strncpy(h.instance, p.instance.c_str(), sizeof(h.instance) - 1);

  // Commands: any number of clients may enqueue, only the owning worker dequeues. Events: every
  // worker enqueues; dequeue is multi-consumer so a second client cannot corrupt the ring.
  for (unsigned w = 0; w < p.n_workers; ++w) {
    const std::string ring_name = "tg-cmd-" + std::to_string(w);
    if (rte_ring_init(out.command_ring(w), ring_name.c_str(), p.command_ring_slots,
                      RING_F_SC_DEQ) != 0) {
      error = "cannot initialise command ring " + ring_name;
      return false;
    }
  }
  if (rte_ring_init(out.event_ring(), "tg-events", p.event_ring_slots, 0) != 0) {
    error = "cannot initialise the event ring";
    return false;
  }
  return true;
}

void Region::publish() {
  __atomic_store_n(&header().ready, 1u, __ATOMIC_RELEASE);
}

bool Region::attach(const std::string& instance, Region& out, std::string& error) {
  if (!valid_instance_name(instance)) {
    error = "instance name '" + instance + "' must be 1-31 characters of [A-Za-z0-9_-]";
    return false;
  }
  const std::string name = shm_name(instance);
  const int fd = shm_open(name.c_str(), O_RDWR, 0);
  if (fd < 0) {
    error = errno == ENOENT ? "data plane instance '" + instance +
                                  "' is not running (no shared memory " + name + ")"
                            : errno_text("cannot open shared memory", name);
    return false;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || static_cast<size_t>(st.st_size) < sizeof(RegionHeader)) {
    error = "shared memory " + name + " is too small to be a trunkgate region";
    close(fd);
    return false;
  }
  void* base = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_SHARED,
                    fd, 0);
  close(fd);
  if (base == MAP_FAILED) {
    error = errno_text("cannot map shared memory", name);
    return false;
  }
  out.release();
  out.base_ = base;
  out.size_ = static_cast<size_t>(st.st_size);
  const RegionHeader& h = out.header();
  if (h.magic != kRegionMagic) {
    error = name + " is not a trunkgate data-plane region (bad magic)";
  } else if (h.version != kSchemaVersion) {
    error = name + " has schema version " + std::to_string(h.version) + ", this client speaks " +
            std::to_string(kSchemaVersion);
  } else if (h.total_size != out.size_ || h.header_size != sizeof(RegionHeader)) {
    error = name + " has an unexpected layout (size mismatch)";
  } else if (__atomic_load_n(&h.ready, __ATOMIC_ACQUIRE) != 1) {
    error = "data plane instance '" + instance + "' is still starting";
  } else {
    __atomic_fetch_add(&out.header().attach_count, 1u, __ATOMIC_RELAXED);
    return true;
  }
  out.release();
  return false;
}

rte_ring* Region::command_ring(unsigned worker) const {
  return static_cast<rte_ring*>(at(header().command_ring_offset[worker]));
}
rte_ring* Region::event_ring() const { return static_cast<rte_ring*>(at(header().event_ring_offset)); }
WorkerStats& Region::worker_stats(unsigned worker) const {
  return static_cast<WorkerStats*>(at(header().worker_stats_offset))[worker];
}
PortStats& Region::port_stats(unsigned interface) const {
  return static_cast<PortStats*>(at(header().port_stats_offset))[interface];
}

}  // namespace trunkgate::channel
