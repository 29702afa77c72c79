#pragma once
// The per-worker Intel IPsec-MB manager and the two primitives SRTP needs from it: AES-128
// counter mode and HMAC-SHA1, chained in one job so a packet is processed in a single pass.
// One engine per worker core: IPsec-MB managers are not thread-safe, and owning one per core
// keeps the fast path free of locks. Construction allocates; the per-packet calls do not.
#include <cstddef>
#include <cstdint>

struct IMB_MGR;

namespace trunkgate::media {

// Expanded key schedules and HMAC pads; 16-byte aligned because IPsec-MB requires it.
struct alignas(16) AesCtrKey {
  uint8_t round_keys[16 * 11];
};
struct alignas(16) HmacSha1Key {
  uint8_t inner[32];  // SHA-1 state after (key ^ ipad); 20 bytes used, padded for alignment
  uint8_t outer[32];  // SHA-1 state after (key ^ opad)
};

// AES-128-GCM key schedule and GHASH tables (IPsec-MB's struct gcm_key_data, 1008 bytes).
struct alignas(64) GcmKey {
  uint8_t data[1008];
};

constexpr std::size_t kHmacSha1MaxTag = 12;  // IPsec-MB emits 12 (or 20) bytes; SRTP truncates
constexpr std::size_t kMaxTagOutput = 16;    // tag scratch for any job: GCM writes 16 bytes

enum class CipherDirection : uint8_t { encrypt_then_mac, mac_then_decrypt };

struct CipherMacJob {
  uint8_t* buffer = nullptr;    // processed in place
  std::size_t cipher_offset = 0;
  std::size_t cipher_length = 0;
  std::size_t mac_length = 0;   // MAC covers buffer[0, mac_length)
  const uint8_t* iv = nullptr;  // 16-byte initial counter block
  const AesCtrKey* cipher_key = nullptr;  // nullptr or cipher_length 0: authenticate only
  const HmacSha1Key* mac_key = nullptr;  // nullptr: cipher only
  uint8_t* tag_out = nullptr;   // kMaxTagOutput bytes
  // AES-GCM instead of AES-CM + HMAC when set: iv is then 12 bytes, the tag (16 bytes) covers
  // aad plus the ciphertext, and cipher_key / mac_key / mac_length are unused.
  const GcmKey* gcm_key = nullptr;
  const uint8_t* aad = nullptr;
  std::size_t aad_length = 0;
};

// Which IPsec-MB code path to run. The widest is not always the fastest for SRTP: with one
// packet per call, a 16-lane AVX-512 HMAC pays for a flush of mostly empty lanes, while the SSE
// manager hashes a single buffer with the SHA extensions (see docs/BENCHMARKS.md, media library).
// AES-GCM has no lanes to fill: best_single_packet runs it on a second manager of the widest ISA
// the CPU has, through IPsec-MB's direct GCM calls (no job scheduling; ~100 cycles less per
// packet than a job on the SSE manager). The other choices run everything on the one manager.
enum class EngineIsa : uint8_t { best_single_packet, auto_detect, sse, avx2, avx512 };

class AesHmacEngine {
 public:
  // Allocates and initialises the manager (setup time); not valid() when IPsec-MB fails or the
  // CPU lacks the ISA asked for.
  explicit AesHmacEngine(EngineIsa isa = EngineIsa::best_single_packet);
  ~AesHmacEngine();
  AesHmacEngine(const AesHmacEngine&) = delete;
  AesHmacEngine& operator=(const AesHmacEngine&) = delete;

  bool valid() const { return mgr_ != nullptr; }
  const char* arch_name() const { return arch_name_; }

  // Setup-time helpers.
  void expand_key(const uint8_t key[16], AesCtrKey& out);
  void hmac_precompute(const uint8_t* key, std::size_t key_length, HmacSha1Key& out);
  void expand_gcm_key(const uint8_t key[16], GcmKey& out);

  // Per-packet: one chained job, synchronous. Returns false if IPsec-MB rejects the job.
  bool run(const CipherMacJob& job, CipherDirection direction);

  // Runs up to kMaxBurst jobs through the multi-buffer scheduler before flushing, so HMAC lanes
  // fill up; returns how many completed successfully (all, unless IPsec-MB rejects one) and,
  // if completed is given, which ones (completed[i] for jobs[i]).
  static constexpr std::size_t kMaxBurst = 32;
  std::size_t run_burst(const CipherMacJob* jobs, std::size_t count, CipherDirection direction,
                        bool* completed = nullptr);

  const char* gcm_arch_name() const { return gcm_arch_name_; }

 private:
  void run_gcm(const CipherMacJob& job, CipherDirection direction);

  IMB_MGR* mgr_ = nullptr;
  IMB_MGR* gcm_mgr_ = nullptr;  // == mgr_, or a manager of its own (best_single_packet)
  const char* arch_name_ = "none";
  const char* gcm_arch_name_ = "none";
};

}  // namespace trunkgate::media
