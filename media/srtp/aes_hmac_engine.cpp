#include "media/srtp/aes_hmac_engine.h"

#include <intel-ipsec-mb.h>

#include <cstring>

namespace trunkgate::media {

namespace {

const char* name_of(IMB_ARCH arch) {
  switch (arch) {
    case IMB_ARCH_NOAESNI: return "no-aesni";
    case IMB_ARCH_SSE: return "sse";
    case IMB_ARCH_AVX: return "avx";
    case IMB_ARCH_AVX2: return "avx2";
    case IMB_ARCH_AVX512: return "avx512";
    default: return "none";
  }
}

static_assert(sizeof(GcmKey::data) == sizeof(gcm_key_data), "GcmKey must hold gcm_key_data");

void fill_job(IMB_JOB* j, const CipherMacJob& job, CipherDirection direction) {
  // IPsec-MB rejects zero-length counter-mode jobs; a header-only packet has nothing to cipher.
  const bool cipher = job.cipher_key != nullptr && job.cipher_length > 0;
  j->cipher_mode = cipher ? IMB_CIPHER_CNTR : IMB_CIPHER_NULL;
  j->cipher_direction =
      direction == CipherDirection::encrypt_then_mac ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
  j->chain_order = direction == CipherDirection::encrypt_then_mac ? IMB_ORDER_CIPHER_HASH
                                                                  : IMB_ORDER_HASH_CIPHER;
  const void* round_keys = cipher ? job.cipher_key->round_keys : nullptr;
  j->enc_keys = round_keys;
  j->dec_keys = round_keys;  // counter mode only ever encrypts the counter
  j->key_len_in_bytes = 16;
  j->src = job.buffer;
  j->dst = job.buffer + job.cipher_offset;  // IPsec-MB writes dst at the cipher start
  j->cipher_start_src_offset_in_bytes = job.cipher_offset;
  j->msg_len_to_cipher_in_bytes = job.cipher_length;
  j->iv = job.iv;
  j->iv_len_in_bytes = 16;
  if (job.mac_key == nullptr) {
    j->hash_alg = IMB_AUTH_NULL;
    j->auth_tag_output = nullptr;
    j->auth_tag_output_len_in_bytes = 0;
    return;
  }
  j->hash_alg = IMB_AUTH_HMAC_SHA_1;
  j->hash_start_src_offset_in_bytes = 0;
  j->msg_len_to_hash_in_bytes = job.mac_length;
  j->auth_tag_output = job.tag_out;
  j->auth_tag_output_len_in_bytes = kHmacSha1MaxTag;
  j->u.HMAC._hashed_auth_key_xor_ipad = job.mac_key->inner;
  j->u.HMAC._hashed_auth_key_xor_opad = job.mac_key->outer;
}

// A manager initialised for `isa`, or nullptr when IPsec-MB fails or the CPU lacks the ISA.
// best_single_packet is SSE when the CPU has SHA-NI (the manager's feature flags say), else the
// widest ISA.
IMB_MGR* new_manager(EngineIsa isa, IMB_ARCH& arch) {
  IMB_MGR* mgr = alloc_mb_mgr(0);
  if (mgr == nullptr) return nullptr;
  arch = IMB_ARCH_NONE;
  if (isa == EngineIsa::best_single_packet)
    isa = (mgr->features & IMB_FEATURE_SHANI) != 0 ? EngineIsa::sse : EngineIsa::auto_detect;
  // IPsec-MB initialises a manager for an ISA the CPU lacks and then dies on SIGILL: refuse it.
  const uint64_t needs = isa == EngineIsa::avx512 ? IMB_FEATURE_AVX512_SKX
                         : isa == EngineIsa::avx2 ? IMB_FEATURE_AVX2
                                                  : 0;
  if ((mgr->features & needs) == needs) {
    switch (isa) {
      case EngineIsa::sse:
        init_mb_mgr_sse(mgr);
        arch = IMB_ARCH_SSE;
        break;
      case EngineIsa::avx2:
        init_mb_mgr_avx2(mgr);
        arch = IMB_ARCH_AVX2;
        break;
      case EngineIsa::avx512:
        init_mb_mgr_avx512(mgr);
        arch = IMB_ARCH_AVX512;
        break;
      default:
        init_mb_mgr_auto(mgr, &arch);
        break;
    }
    if (imb_get_errno(mgr) != 0) arch = IMB_ARCH_NONE;
  }
  if (arch == IMB_ARCH_NONE) {
    free_mb_mgr(mgr);
    return nullptr;
  }
  return mgr;
}

}  // namespace

AesHmacEngine::AesHmacEngine(EngineIsa isa) {
  IMB_ARCH arch = IMB_ARCH_NONE;
  mgr_ = new_manager(isa, arch);
  if (mgr_ == nullptr) return;
  arch_name_ = gcm_arch_name_ = name_of(arch);
  gcm_mgr_ = mgr_;
  // SSE chosen for its SHA-NI HMAC: GCM goes to the widest manager instead.
  if (isa == EngineIsa::best_single_packet && arch == IMB_ARCH_SSE) {
    IMB_ARCH widest = IMB_ARCH_NONE;
    if (IMB_MGR* gcm = new_manager(EngineIsa::auto_detect, widest); gcm != nullptr) {
      gcm_mgr_ = gcm;
      gcm_arch_name_ = name_of(widest);
    }
  }
}

AesHmacEngine::~AesHmacEngine() {
  if (gcm_mgr_ != nullptr && gcm_mgr_ != mgr_) free_mb_mgr(gcm_mgr_);
  if (mgr_ != nullptr) free_mb_mgr(mgr_);
}

void AesHmacEngine::expand_key(const uint8_t key[16], AesCtrKey& out) {
  alignas(16) uint8_t unused_decrypt_keys[16 * 11];
  IMB_AES_KEYEXP_128(mgr_, key, out.round_keys, unused_decrypt_keys);
}

void AesHmacEngine::hmac_precompute(const uint8_t* key, std::size_t key_length, HmacSha1Key& out) {
  // SRTP authentication keys are 20 bytes, below the 64-byte block, so no pre-hash is needed.
  alignas(16) uint8_t inner_block[64];
  alignas(16) uint8_t outer_block[64];
  std::memset(inner_block, 0x36, sizeof inner_block);
  std::memset(outer_block, 0x5c, sizeof outer_block);
  for (std::size_t i = 0; i < key_length && i < 64; ++i) {
    inner_block[i] ^= key[i];
    outer_block[i] ^= key[i];
  }
  std::memset(&out, 0, sizeof out);
  IMB_SHA1_ONE_BLOCK(mgr_, inner_block, out.inner);
  IMB_SHA1_ONE_BLOCK(mgr_, outer_block, out.outer);
}

void AesHmacEngine::expand_gcm_key(const uint8_t key[16], GcmKey& out) {
  // The GHASH tables' layout belongs to the manager that runs the GCM calls.
  IMB_AES128_GCM_PRE(gcm_mgr_, key, reinterpret_cast<gcm_key_data*>(out.data));
}

// One GCM packet in place, synchronously; the tag (16 bytes) goes to tag_out for both directions
// (the caller compares it on decrypt). The direct calls report nothing: the SRTP layer has already
// checked what they would (lengths, a key, an IV).
void AesHmacEngine::run_gcm(const CipherMacJob& job, CipherDirection direction) {
  const auto* key = reinterpret_cast<const gcm_key_data*>(job.gcm_key->data);
  struct gcm_context_data context;
  uint8_t* text = job.buffer + job.cipher_offset;
  if (direction == CipherDirection::encrypt_then_mac)
    IMB_AES128_GCM_ENC(gcm_mgr_, key, &context, text, text, job.cipher_length, job.iv, job.aad,
                       job.aad_length, job.tag_out, 16);
  else
    IMB_AES128_GCM_DEC(gcm_mgr_, key, &context, text, text, job.cipher_length, job.iv, job.aad,
                       job.aad_length, job.tag_out, 16);
}

bool AesHmacEngine::run(const CipherMacJob& job, CipherDirection direction) {
  return run_burst(&job, 1, direction) == 1;
}

std::size_t AesHmacEngine::run_burst(const CipherMacJob* jobs, std::size_t count,
                                     CipherDirection direction, bool* completed) {
  if (count > kMaxBurst) count = kMaxBurst;
  std::size_t succeeded = 0;
  auto collect = [&](IMB_JOB* done) {
    const bool ok = done->status == IMB_STATUS_COMPLETED;
    if (done->user_data != nullptr) *static_cast<bool*>(done->user_data) = ok;
    succeeded += ok ? 1 : 0;
  };
  for (std::size_t i = 0; i < count; ++i) {
    if (jobs[i].gcm_key != nullptr) {  // no lanes to fill: done at once
      run_gcm(jobs[i], direction);
      if (completed != nullptr) completed[i] = true;
      ++succeeded;
      continue;
    }
    IMB_JOB* j = IMB_GET_NEXT_JOB(mgr_);
    fill_job(j, jobs[i], direction);
    j->user_data = completed != nullptr ? &completed[i] : nullptr;
    if (completed != nullptr) completed[i] = false;
    for (IMB_JOB* done = IMB_SUBMIT_JOB(mgr_); done != nullptr; done = IMB_GET_COMPLETED_JOB(mgr_))
      collect(done);
  }
  for (IMB_JOB* done = IMB_FLUSH_JOB(mgr_); done != nullptr; done = IMB_FLUSH_JOB(mgr_)) collect(done);
  return succeeded;
}

}  // namespace trunkgate::media
