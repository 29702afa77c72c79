// The contract between trunkgate-dp and its control-plane clients: every structure that crosses the
// shared-memory region. Plain fixed-size structs, no pointers, no virtuals, so both processes (and
// both compilers' layouts) agree byte for byte. Change a layout => bump kSchemaVersion.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trunkgate::channel {

inline constexpr uint32_t kRegionMagic = 0x54474450;  // "TGDP"
// v2: media treatment in add/modify commands; v3: exception-path counters in the header;
// v4: DTMF interworking and comfort-noise stages, TranscodeParams.cn_pt, DtmfReport.origin,
// flow drop reason bad_event, FlowCounters.received (what arrived, apart from what was sent);
// v5: kFlowReportEvents with FlowSpec.event_pt (DTMF reports from flows without a treatment).
inline constexpr uint16_t kSchemaVersion = 5;
inline constexpr unsigned kMaxWorkers = 32;
inline constexpr unsigned kMaxInterfaces = 8;
inline constexpr unsigned kMaxAddressesPerInterface = 4;

enum class Family : uint8_t { kNone = 0, kIPv4 = 4, kIPv6 = 6 };

// An IPv4 address sits in bytes[0..3] (network order); IPv6 uses all 16 bytes.
struct IpAddr {
  Family family;
  uint8_t pad[3];
  uint8_t bytes[16];
};
static_assert(sizeof(IpAddr) == 20);

struct Endpoint {
  IpAddr addr;
  uint16_t port;  // host order
  uint16_t pad;
};
static_assert(sizeof(Endpoint) == 24);

// A flow is identified by the local address and UDP port its packets arrive on.
using FlowKey = Endpoint;

// Which worker owns a local media port. RTP (even) and RTCP (port+1) share an owner, so a call's
// RTP/RTCP pair lives on one worker; the control plane chooses ports so that both directions of a
// call (the two legs' local ports) also share an owner, which lets latching update the reverse flow
// without crossing cores.
inline constexpr unsigned owner_of_port(uint16_t port, unsigned n_workers) {
  return n_workers == 0 ? 0 : (static_cast<unsigned>(port) >> 1) % n_workers;
}

enum FlowFlags : uint32_t {
  kFlowLatch = 1u << 0,         // learn the peer from the first valid packet, retarget `reverse`
  kFlowRtcp = 1u << 1,          // an RTCP-only flow (RTP port + 1): validate as RTCP
  kFlowRtcpMux = 1u << 2,       // an RTP flow that also carries RTCP (RFC 5761)
  kFlowTranslateRtp = 1u << 3,  // rewrite SSRC and keep sequence/timestamp continuous
  kFlowStrictSource = 1u << 4,  // after latching, drop packets from any other source
  // Report the RFC 4733 telephone-events of payload type event_pt that the flow relays (kDtmf
  // events, origin RFC 4733); for RTP flows whose treatment does not already report them (one
  // with kTreatEventMap or kTreatEventsToTones does). The packets are relayed as they are.
  kFlowReportEvents = 1u << 5,
  kFlowAllFlags = (1u << 6) - 1,
};

inline constexpr uint8_t kDscpExpedited = 46;  // EF, RFC 3246

struct FlowSpec {
  FlowKey key;
  Endpoint remote;       // where packets are sent (until latching says otherwise)
  Endpoint source;       // local address/port they are sent from (on out_interface)
  FlowKey reverse;       // flow whose remote is retargeted when this one latches (family kNone: none)
  uint64_t cookie;       // the control plane's id for the flow, echoed in every event about it
  uint32_t flags;        // FlowFlags
  uint32_t out_ssrc;     // with kFlowTranslateRtp
  uint32_t timeout_ms;   // media-timeout event after this much silence; 0 disables it
  uint16_t out_interface;
  uint8_t dscp;          // 0..63
  uint8_t event_pt;      // 0..127, with kFlowReportEvents
};
static_assert(sizeof(FlowSpec) == 120);

// ---- Media treatment (schema v2): the per-flow recipe the worker applies between RX and the
// header rewrite. A flow whose MediaTreatment has no stage bits set is a plain relay.

enum class SrtpSuite : uint8_t {
  kNone = 0,
  kAesCm128HmacSha1_80 = 1,
  kAesCm128HmacSha1_32 = 2,
  kAeadAes128Gcm = 3,  // RFC 7714
};

inline constexpr unsigned kSrtpMasterKeyLength = 16;
inline constexpr unsigned kSrtpMasterSaltLength = 14;  // AEAD uses the first 12 bytes
inline constexpr unsigned kSrtpMaxMkiLength = 4;

// One SRTP direction (RFC 3711 crypto context, keys as SDES, RFC 4568, carries them).
struct SrtpParams {
  uint8_t suite;           // SrtpSuite, never kNone when the stage is enabled
  uint8_t mki_length;      // 0 (no MKI on the wire) .. kSrtpMaxMkiLength
  uint16_t replay_window;  // 64 or 128 packets; 0 means 128 (only the unprotect side uses it)
  uint32_t mki;            // must fit in mki_length bytes
  uint8_t master_key[kSrtpMasterKeyLength];
  uint8_t master_salt[kSrtpMasterSaltLength];
  uint8_t pad[2];
  uint64_t lifetime;       // packets allowed under this key (RFC 4568); 0: 2^48, above 2^48 invalid
};
static_assert(sizeof(SrtpParams) == 48);

// RTP payload-type rewriting on relayed packets: audio_in -> audio_out (kTreatPayloadMap) and the
// RFC 4733 telephone-event type event_in -> event_out (kTreatEventMap). Other types pass as they
// are. On a transcoded flow kTreatEventMap carries the events into the transcoder's stream:
// event_in packets are renumbered in its sequence space and timestamped on its clock (end packets
// kept), sent as event_out. event_in is also the type kTreatEventsToTones consumes, event_out the
// type kTreatTonesToEvents sends. Every flow that knows event_in reports received events (kDtmf).
struct PayloadTypeMap {
  uint8_t audio_in, audio_out;  // 0..127
  uint8_t event_in, event_out;  // 0..127
};
static_assert(sizeof(PayloadTypeMap) == 4);

enum class Codec : uint8_t { kNone = 0, kPcmu = 1, kPcma = 2, kG729 = 3 };

// Transcoding (kTreatTranscode): PCMU/PCMA -> G729 or G729 -> PCMU/PCMA. RTP packets of in_pt are
// decoded and re-encoded; the output is a new RTP stream (out_ssrc, sequence from first_seq,
// timestamps from ts_offset) packetized every out_ptime_ms. Other payload types are dropped
// (except telephone-events with kTreatEventMap and CN with kTreatComfortNoise).
// Comfort noise (SIPconnect 2.0 section 14.3): cn_pt is the RFC 3389 CN type of the G.711 leg when
// that leg offered it (kTreatComfortNoise). G.729 -> G.711: a G.729B SID becomes one CN packet of
// cn_pt; without kTreatComfortNoise the G.711 output never goes discontinuous: the worker's timer
// fills DTX and loss with comfort noise / concealment as ordinary 20 ms G.711. G.711 -> G.729: CN
// packets of cn_pt arriving are consumed; the G.729 stream ends its talkspurt (DTX, Annex B assumed
// accepted) and, with vad_dtx, the encoder hears the CN level as noise and emits its own SID.
struct TranscodeParams {
  uint8_t in_codec;      // Codec
  uint8_t out_codec;     // Codec
  uint8_t in_pt;         // 0..127
  uint8_t out_pt;        // 0..127
  uint8_t out_ptime_ms;  // 10, 20, 30 or 40
  uint8_t vad_dtx;       // 0/1: G.729 Annex B VAD/DTX on the encoding side
  uint16_t first_seq;    // random per RFC 3550
  uint32_t out_ssrc;
  uint32_t ts_offset;    // random per RFC 3550
  uint8_t cn_pt;         // 0..127, with kTreatComfortNoise (13 when the leg offered static CN)
  uint8_t pad[7];
};
static_assert(sizeof(TranscodeParams) == 24);

// The flow's incoming G.711 audio for the DTMF stages. kTreatDtmfDetect: RTP packets of `pt` are
// decoded and analysed (the packets themselves go on unchanged); each digit's start and end is
// reported with an EventType::kDtmf event. kTreatTonesToEvents: the same detection, and the digits
// leave as RFC 4733 events (pt_map.event_out) with the tone audio replaced by silence: in the
// transcoder's stream (kTreatTranscode, G.711 in), or inserted into a relayed stream, which then
// needs kFlowTranslateRtp (its sequence numbers are shifted past the inserted packets).
// kTreatEventsToTones on a relay: the tones are written into packets of `pt` (with transcoding
// they go into the transcoder's audio).
struct DtmfDetectParams {
  uint8_t codec;  // Codec::kPcmu or Codec::kPcma
  uint8_t pt;     // 0..127; with kTreatTranscode it must be the transcoder's input (in_codec, in_pt)
  uint8_t pad[6];
};
static_assert(sizeof(DtmfDetectParams) == 8);

enum TreatmentStages : uint32_t {
  kTreatSrtpIn = 1u << 0,        // unprotect SRTP/SRTCP arriving on the flow (srtp_in)
  kTreatSrtpOut = 1u << 1,       // protect what the flow sends (srtp_out)
  kTreatPayloadMap = 1u << 2,    // pt_map.audio_in -> audio_out
  kTreatEventMap = 1u << 3,      // pt_map.event_in -> event_out
  kTreatTranscode = 1u << 4,     // transcode
  kTreatDtmfDetect = 1u << 5,    // dtmf: report in-band digits as kDtmf events
  kTreatComfortNoise = 1u << 6,  // transcode.cn_pt: the G.711 leg offered CN (with kTreatTranscode)
  kTreatTonesToEvents = 1u << 7,  // in-band DTMF (dtmf) -> RFC 4733 (pt_map.event_out), muted
  kTreatEventsToTones = 1u << 8,  // RFC 4733 (pt_map.event_in) consumed -> in-band tones
  kTreatAllStages = (1u << 9) - 1,
};

// Blocks of stages that are not enabled are ignored.
struct MediaTreatment {
  uint32_t stages;  // TreatmentStages; 0: plain relay
  PayloadTypeMap pt_map;
  SrtpParams srtp_in;
  SrtpParams srtp_out;
  TranscodeParams transcode;
  DtmfDetectParams dtmf;
};
static_assert(sizeof(MediaTreatment) == 136);

enum class CommandType : uint16_t {
  kAddFlow = 1,
  kModifyFlow = 2,
  kDeleteFlow = 3,
  kQueryFlow = 4,   // answered with a kFlowStats event
  kDumpFlows = 5,   // answered with one kFlowInfo event per flow, then kDumpDone
};

struct MessageHeader {
  uint16_t version;  // kSchemaVersion
  uint16_t type;     // CommandType or EventType
  uint32_t seq;      // chosen by the sender of a command; echoed by its reply
};

struct Command {
  MessageHeader hdr;
  FlowSpec spec;              // delete/query use spec.key only
  MediaTreatment treatment;   // add/modify; a modify with an identical block keeps SRTP/codec state
};
static_assert(sizeof(Command) % 8 == 0 && sizeof(Command) == 264);

enum class EventType : uint16_t {
  kCommandOk = 1,     // the command with hdr.seq was applied
  kCommandError = 2,  // it was rejected; `error` says why; nothing changed
  kLatched = 3,       // the flow learned its peer `addr`
  kMediaTimeout = 4,  // no packet for timeout_ms
  kFlowStats = 5,     // answer to kQueryFlow
  kFlowDeleted = 6,   // final counters of a deleted flow (after kCommandOk)
  kFlowInfo = 7,      // one flow of a dump
  kDumpDone = 8,
  kDtmf = 9,  // a digit started or ended on the flow, in-band or RFC 4733 (`dtmf`)
};

enum class CommandError : int16_t {
  kNone = 0,
  kBadVersion = 1,
  kUnknownType = 2,
  kBadFamily = 3,         // an address family that is not IPv4/IPv6, or mixed where it must match
  kBadInterface = 4,      // out_interface does not exist
  kNotLocalAddress = 5,   // key or source is not an address of the gateway's interfaces
  kPortOutOfRange = 6,    // key port outside the media range
  kWrongWorker = 7,       // key port is owned by another worker
  kFlowExists = 8,
  kNoSuchFlow = 9,
  kTableFull = 10,
  kBadFlags = 11,
  kBadDscp = 12,
  kReverseNotFound = 13,  // latching could not retarget `reverse` on this worker
  kBadRemote = 14,        // remote port 0 or address unspecified/multicast
  kBadTreatment = 15,     // unknown stage bits, or stages that do not fit the flow or each other
  kTreatmentFull = 16,    // the worker's treated-flow pool is exhausted
  kBadSrtpSuite = 17,
  kBadSrtpKey = 18,       // all-zero master key
  kBadMki = 19,           // mki_length above 4, or mki does not fit in it
  kBadReplayWindow = 20,  // not 0, 64 or 128
  kBadSrtpLifetime = 21,  // above 2^48
  kBadPayloadType = 22,   // above 127, or one input type mapped twice
  kBadCodec = 23,         // not a supported transcoding pair
  kBadPtime = 24,         // not 10, 20, 30 or 40
  kTreatmentSetup = 25,   // crypto or codec setup failed in the worker (resources, not input)
};

enum FlowDrop : uint8_t {
  kFlowDropInvalidRtp = 0,   // not RTP/RTCP by version, length or payload type
  kFlowDropSource = 1,       // strict source: not from the latched peer
  kFlowDropNoNeighbor = 2,   // next hop not resolved yet
  kFlowDropTxFull = 3,       // the port's TX queue was full
  kFlowDropSrtpAuth = 4,     // SRTP/SRTCP authentication failed
  kFlowDropSrtpReplay = 5,   // replayed, or older than the replay window
  kFlowDropSrtpInvalid = 6,  // too short for SRTP, wrong MKI, key lifetime exhausted, no tailroom
  kFlowDropTranscode = 7,    // transcoded flow: unexpected payload type or not whole 10 ms units
  kFlowDropNoMbuf = 8,       // no mbuf for a transcoded output packet
  kFlowDropBadEvent = 9,     // telephone-event payload not whole 4-byte blocks, or (converted to
                             // tones) an event above 16
  kFlowDropCount = 10,
};

struct FlowCounters {
  uint64_t packets;  // forwarded (sent); a transcoded flow sends as many as its ptime makes
  uint64_t bytes;    // forwarded UDP payload bytes
  uint64_t rtcp_packets;
  uint64_t drops[kFlowDropCount];
  uint64_t idle_ms;   // time since the last received packet (at the time of the event)
  uint64_t received;  // packets that arrived for the flow: forwarded, transcoded or dropped
};

enum class DtmfOrigin : uint8_t { kInband = 0, kTelephoneEvent = 1 };

struct DtmfReport {
  uint8_t event;       // 0-9, * = 10, # = 11, A-D = 12-15, flash = 16 (RFC 4733 event codes)
  uint8_t end;         // 0: the digit started; 1: it ended
  uint8_t origin;      // DtmfOrigin: detected in-band, or received as RFC 4733 events
  uint8_t pad;
  uint32_t timestamp;  // RTP timestamp (incoming stream): where it was detected / the event's
  uint32_t duration;   // end only: timestamp units since the start (RFC 4733: the final duration)
  uint32_t pad2;
};
static_assert(sizeof(DtmfReport) == 16);

struct Event {
  MessageHeader hdr;
  uint16_t worker;
  int16_t error;  // CommandError
  uint32_t pad;
  uint64_t cookie;
  FlowKey key;
  Endpoint addr;  // kLatched: the peer; kFlowInfo/kFlowStats: the current remote
  FlowCounters counters;
  DtmfReport dtmf;  // kDtmf only
};
static_assert(sizeof(Event) % 8 == 0);

// Per-worker drop reasons. Every packet a worker receives is either forwarded, consumed by a
// transcoding stage, handed to another worker, sent to the exception path, or counted under
// exactly one of these.
enum WorkerDrop : uint8_t {
  kDropTooShort = 0,     // frame shorter than its headers claim or need
  kDropMalformed = 1,    // bad IP version/header length/total length
  kDropIpOptions = 2,    // IPv4 options or IPv6 extension headers on media
  kDropFragment = 3,     // IP fragments are never media
  kDropTtl = 4,          // TTL/hop limit 0
  kDropUdpLength = 5,    // UDP length inconsistent, or no payload
  kDropInvalidRtp = 6,   // RTP version != 2, too short, RTCP where RTP is expected...
  kDropUnknownFlow = 7,  // media port range, no flow
  kDropNoNeighbor = 8,
  kDropTxFull = 9,
  kDropHandoffFull = 10,
  kDropExceptionFull = 11,
  kDropSource = 12,
  kDropSrtpAuth = 13,
  kDropSrtpReplay = 14,
  kDropSrtpInvalid = 15,
  kDropTranscode = 16,
  kDropNoMbuf = 17,
  kDropBadEvent = 18,
  kDropCount = 19,
};

inline constexpr const char* kWorkerDropNames[kDropCount] = {
    "too_short",    "malformed",      "ip_options",   "fragment",    "ttl",
    "udp_length",   "invalid_rtp",    "unknown_flow", "no_neighbor", "tx_full",
    "handoff_full", "exception_full", "source",       "srtp_auth",   "srtp_replay",
    "srtp_invalid", "transcode",      "no_mbuf",      "bad_event"};

inline constexpr const char* kFlowDropNames[kFlowDropCount] = {
    "invalid_rtp", "source",       "no_neighbor", "tx_full", "srtp_auth",
    "srtp_replay", "srtp_invalid", "transcode",   "no_mbuf", "bad_event"};

// Written only by its worker (relaxed atomic stores), read by anyone without locks.
struct alignas(64) WorkerStats {
  uint64_t rx;           // packets taken from RX queues or handoff rings
  uint64_t tx;           // packets forwarded
  uint64_t handoff;      // packets passed to their owning worker
  uint64_t exception;    // packets sent to the exception path
  uint64_t transcode_in;  // packets consumed by a transcoding or interworking stage (their media
                          // leaves in tx as new packets, or as tones inside other packets)
  uint64_t commands_ok;
  uint64_t commands_failed;
  uint64_t events_lost;  // event ring was full
  uint64_t flows;        // flows in the table now
  uint64_t loops;        // poll iterations (shows the worker is alive)
  uint64_t treated_flows;  // flows holding a media-treatment slot now
  uint64_t drops[kDropCount];
};

struct InterfaceInfo {
  char name[16];
  uint16_t port_id;
  uint16_t vlan;  // 0: untagged
  uint8_t n_addresses;
  uint8_t prefix_len[kMaxAddressesPerInterface];
  uint8_t pad[3];
  IpAddr addresses[kMaxAddressesPerInterface];
};

struct PortStats {  // copied from rte_eth_stats by the main lcore, once a second
  uint64_t ipackets, opackets, ibytes, obytes, imissed, ierrors, oerrors, rx_nombuf;
};

// The main lcore's exception path and next-hop resolution, published once a second.
struct ExceptionStats {
  uint64_t to_kernel;          // frames written to a TAP
  uint64_t from_kernel;        // frames the kernel sent out of a port
  uint64_t dropped;            // refused by a TAP or port, or no mbuf for a request
  uint64_t requests_sent;      // ARP requests and Neighbor Solicitations
  uint64_t neighbors_learned;  // MACs learned from ARP/ND
};

// The region starts with this header. Offsets are from the start of the region.
struct RegionHeader {
  uint32_t magic;
  uint16_t version;
  uint16_t header_size;
  uint64_t total_size;
  uint32_t ready;      // set last (release) by the data plane once everything below is valid
  uint32_t dp_pid;
  uint64_t heartbeat;  // incremented by the main lcore about every millisecond
  uint32_t n_workers;
  uint32_t n_interfaces;
  uint32_t command_ring_slots;
  uint32_t event_ring_slots;
  uint16_t media_port_min;
  uint16_t media_port_max;
  uint32_t attach_count;  // incremented by each client that attaches
  uint64_t command_ring_offset[kMaxWorkers];
  uint64_t event_ring_offset;
  uint64_t worker_stats_offset;  // kMaxWorkers WorkerStats
  uint64_t port_stats_offset;    // kMaxInterfaces PortStats
  InterfaceInfo interfaces[kMaxInterfaces];
  ExceptionStats exception;  // written by the main lcore only
  char instance[32];
};

}  // namespace trunkgate::channel
