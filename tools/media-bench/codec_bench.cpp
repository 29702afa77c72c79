// Transcoding cost per 20 ms packet: G.711 -> G.729 (decode 160 bytes, encode two frames) and
// G.729 -> G.711, through our wrappers, against bcg729's bare encode+decode of the same audio.
#include <benchmark/benchmark.h>

#include <vector>

#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "tests/media/test_signals.h"

extern "C" {
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

namespace trunkgate::media {
namespace {

constexpr std::size_t kPacket = 160;
constexpr std::size_t kSignal = 8000 * 4;  // 4 s of vowel-like audio, looped

const std::vector<int16_t>& signal() {
  static const std::vector<int16_t> s = test::vowel(kSignal);
  return s;
}

void BM_G711ToG729(benchmark::State& state) {
  G729Encoder encoder(state.range(0) != 0);
  std::vector<uint8_t> pcmu(kSignal);
  g711_encode(G711Law::ulaw, signal(), pcmu.data());
  std::size_t at = 0;
  for (auto _ : state) {
    int16_t linear[kPacket];
    uint8_t payload[20];
    g711_decode(G711Law::ulaw, std::span(pcmu).subspan(at, kPacket), linear);
    encoder.encode(linear, payload);
    encoder.encode(linear + 80, payload + 10);
    benchmark::DoNotOptimize(payload);
    at = (at + kPacket) % kSignal;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_G729ToG711(benchmark::State& state) {
  G729Encoder encoder(false);
  G729Decoder decoder;
  std::vector<uint8_t> frames(kSignal / 8);
  for (std::size_t f = 0; f < kSignal / 80; ++f) encoder.encode(signal().data() + f * 80, frames.data() + f * 10);
  std::size_t at = 0;
  for (auto _ : state) {
    int16_t linear[kPacket];
    uint8_t pcmu[kPacket];
    std::size_t samples = 0;
    decoder.decode_payload(std::span(frames).subspan(at, 20), linear, samples);
    g711_encode(G711Law::ulaw, std::span(linear, samples), pcmu);
    benchmark::DoNotOptimize(pcmu);
    at = (at + 20) % frames.size();
  }
  state.SetItemsProcessed(state.iterations());
}

// bcg729 alone: encode two frames and decode two frames, the floor our pipeline adds to.
void BM_Bcg729EncodeDecodeBare(benchmark::State& state) {
  auto* enc = initBcg729EncoderChannel(0);
  auto* dec = initBcg729DecoderChannel();
  std::size_t at = 0;
  for (auto _ : state) {
    uint8_t frame[10];
    uint8_t length = 0;
    int16_t out[80];
    for (int f = 0; f < 2; ++f) {
      bcg729Encoder(enc, signal().data() + at + 80 * f, frame, &length);
      bcg729Decoder(dec, frame, length, 0, 0, 0, out);
    }
    benchmark::DoNotOptimize(out);
    at = (at + kPacket) % kSignal;
  }
  closeBcg729EncoderChannel(enc);
  closeBcg729DecoderChannel(dec);
  state.SetItemsProcessed(state.iterations());
}

void BM_G711EncodeDecode(benchmark::State& state) {
  std::size_t at = 0;
  for (auto _ : state) {
    uint8_t codes[kPacket];
    int16_t back[kPacket];
    g711_encode(G711Law::alaw, std::span(signal()).subspan(at, kPacket), codes);
    g711_decode(G711Law::alaw, codes, back);
    benchmark::DoNotOptimize(back);
    at = (at + kPacket) % kSignal;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_G711ToG729)->Arg(0)->Arg(1);  // VAD off / on
BENCHMARK(BM_G729ToG711);
BENCHMARK(BM_Bcg729EncodeDecodeBare);
BENCHMARK(BM_G711EncodeDecode);

}  // namespace
}  // namespace trunkgate::media
