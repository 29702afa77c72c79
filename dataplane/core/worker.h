// A poll-mode worker: owns one FlowTable, polls its RX queues and its handoff ring, applies a
// bounded number of commands from its command ring between bursts, forwards media, hands packets
// owned by other workers to them, passes everything else to the exception path, and reports events
// and counters through the shared region. Never blocks, never allocates after init().
#pragma once

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/channel/schema.h"
#include "dataplane/core/flow_table.h"
#include "dataplane/core/interface.h"
#include "dataplane/core/neighbor_table.h"
#include "dataplane/core/neighbor_wait.h"
#include "dataplane/core/packet_parser.h"
#include "dataplane/core/srtp_stage.h"
#include "dataplane/core/transcode_stage.h"
#include "dataplane/core/treatment_pool.h"
#include "media/srtp/aes_hmac_engine.h"

namespace trunkgate::dp {

inline constexpr unsigned kBurst = 64;
inline constexpr unsigned kCommandsPerPoll = 64;
inline constexpr unsigned kTimeoutScanPerPoll = 8;
inline constexpr unsigned kDumpPerPoll = 32;
inline constexpr unsigned kFillScanPerPoll = 32;  // treatment slots the silence timer visits
inline constexpr int32_t kNoPayloadSum = -1;      // the payload changed: its sum is computed

struct RxQueue {
  uint16_t port;
  uint16_t queue;
};

struct TxQueue {
  uint16_t queue = 0;
  rte_spinlock_t* lock = nullptr;  // set when the port has fewer TX queues than lcores
};

// Everything a worker is wired to; built by the application (or a test harness).
struct WorkerSetup {
  unsigned index = 0;
  unsigned n_workers = 1;
  unsigned flow_capacity = 65536;
  unsigned treated_capacity = 4096;  // flows with a media treatment (SRTP, PT map, transcoding)
  int socket = 0;
  uint64_t tsc_hz = 0;
  MediaPortRange media{20000, 29999};
  std::vector<RxQueue> rx;
  std::vector<rte_ring*> handoff;       // one per worker, indexed by worker
  std::vector<TxQueue> tx;              // indexed by DPDK port id
  std::vector<rte_ring*> exception;     // indexed by DPDK port id; nullptr: drop non-media
  const std::vector<Interface>* interfaces = nullptr;
  std::vector<int> interface_of_port;   // DPDK port id -> interface index
  NeighborTable* neighbors = nullptr;
  rte_ring* commands = nullptr;
  rte_ring* events = nullptr;
  channel::WorkerStats* stats = nullptr;
};

class Worker {
 public:
  bool init(WorkerSetup setup, std::string& error);

  // One iteration of the loop at time `now_tsc`; returns true if it did any work.
  bool poll_once(uint64_t now_tsc);
  // Drains what is buffered for TX and publishes counters (shutdown, tests).
  void flush();
  // Frees packets still queued on this worker's handoff ring or waiting for a next hop (shutdown).
  void drain();

  const FlowTable& flows() const { return flows_; }
  const TreatmentPool& treatments() const { return treatments_; }

 private:
  struct TxBatch {
    rte_mbuf* pkts[kBurst * 2];
    int32_t flow[kBurst * 2];
    unsigned n;
  };
  // Treated packets waiting, until the end of their burst, for SRTP work done a burst at a time
  // (worker_srtp_burst.cc). Everything transmit needs is kept; the payload is in the mbuf.
  struct SrtpWait {
    FlowEntry* e;
    rte_mbuf* m;
    int32_t position;
    bool rtcp;
    uint8_t dst_mac[6];
  };
  struct SrtpWaitList {
    SrtpWait wait[kBurst];
    SrtpStageItem items[kBurst];
    unsigned n;
  };
  struct Counters {
    uint64_t rx, tx, handoff, exception, transcode_in, commands_ok, commands_failed, events_lost;
    uint64_t drops[channel::kDropCount];
  };

  // commands (worker_commands.cc)
  unsigned apply_commands();
  void apply(const channel::Command& cmd);
  channel::CommandError validate(const channel::FlowSpec& spec) const;
  channel::CommandError program(FlowEntry& e, const channel::FlowSpec& spec);
  void retarget(FlowEntry& e, const channel::Endpoint& remote);
  void resolve_next_hop(FlowEntry& e);
  void remove(FlowEntry& e);

  // media treatment slots (worker_treatment_commands.cc)
  channel::CommandError attach_treatment(FlowEntry& e, const channel::MediaTreatment& t);
  void detach_treatment(FlowEntry& e);

  // packets (worker_packets.cc)
  void process(rte_mbuf** pkts, unsigned n, bool from_wire);
  void forward(FlowEntry& e, int32_t position, rte_mbuf* m, const ParsedPacket& p);
  // The part of forward() after the next hop is known.
  void send_on(FlowEntry& e, int32_t position, rte_mbuf* m, const ParsedPacket& p, bool rtcp,
               const uint8_t* dst_mac);
  // False while the flow's next hop is unresolved (and asks the main lcore to resolve it).
  bool next_hop_mac(FlowEntry& e, uint8_t dst_mac[6]);
  // Packets waiting for a next hop (neighbor_wait.h).
  void hold_for_neighbor(FlowEntry& e, rte_mbuf* m, const ParsedPacket& p, bool rtcp);
  bool release_held();  // true if it sent or dropped any
  void drop_held(FlowEntry& e);
  // `m` holds exactly the UDP payload (headers stripped); adds the flow's headers and queues it.
  void transmit(FlowEntry& e, int32_t position, rte_mbuf* m, uint16_t payload_len, uint16_t sum,
                const uint8_t* dst_mac, bool rtcp);
  void flow_drop(FlowEntry& e, rte_mbuf* m, channel::FlowDrop why);

  // treated flows (worker_treatment.cc)
  void forward_treated(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp, uint16_t sum,
                       const uint8_t* dst_mac);
  // After SRTP unprotect, or for flows without it: DTMF detection, transcoding or payload-type
  // map and SSRC translation, then protect_and_transmit.
  void treat_payload(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* m, bool rtcp,
                     int32_t payload_sum, const uint8_t* dst_mac);
  void send_transcoded(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* in,
                       const uint8_t* dst_mac);
  // Copies finished packets into new mbufs from `pool` and sends them on the flow.
  void send_built(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mempool* pool,
                  std::span<const media::TranscodedPacket> out, const uint8_t* dst_mac);
  // media stages of treated flows (worker_media.cc)
  bool media_stages(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* m,
                    int32_t& payload_sum, const uint8_t* dst_mac);
  void post_dtmf(const FlowEntry& e, const DtmfReports& reports);
  void report_relayed_event(FlowEntry& e, const uint8_t* rtp, uint16_t len);
  void insert_relay_events(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mempool* pool,
                           const uint8_t* dst_mac, DtmfReports& reports);
  bool fill_silence();  // true if it sent (or dropped) filled audio
  void fill_one(FlowTreatment& t);
  // `sum` is the payload sum when the payload is unchanged since RX (kNoPayloadSum: compute it).
  void protect_and_transmit(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* m,
                            bool rtcp, int32_t sum, const uint8_t* dst_mac);
  void send_treated(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp, int32_t sum,
                    const uint8_t* dst_mac);

  // SRTP a burst at a time (worker_srtp_burst.cc): packets wait in a list until finish_srtp(),
  // at the end of process(), or until the list is full.
  void wait_for_unprotect(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp,
                          const uint8_t* dst_mac);
  void wait_for_protect(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp,
                        const uint8_t* dst_mac);
  void finish_srtp();
  // The list's SRTP work (protect: the flows' send side); drops and counts what failed, empties
  // the list and returns how many it held (their results stay in the list).
  unsigned run_srtp(SrtpWaitList& l, bool protect);
  void run_unprotect_wait();
  void run_protect_wait();
  bool latch(FlowEntry& e, const ParsedPacket& p);
  void to_exception(rte_mbuf* m);
  void drop(rte_mbuf* m, channel::WorkerDrop why);
  void flush_tx();
  void flush_handoff();

  // events and housekeeping (worker.cc)
  channel::Event make_event(channel::EventType type, uint32_t seq, channel::CommandError error,
                            const channel::FlowKey& key, const FlowEntry* e) const;
  void post(channel::Event ev);
  void emit(channel::EventType type, uint32_t seq, channel::CommandError error,
            const channel::FlowKey& key, const FlowEntry* e) {
    post(make_event(type, seq, error, key, e));
  }
  void scan_timeouts();
  void continue_dump();
  void publish_stats();

  WorkerSetup s_;
  FlowTable flows_;
  TreatmentPool treatments_;
  std::unique_ptr<media::AesHmacEngine> engine_;  // one IPsec-MB manager per worker core
  std::unique_ptr<SrtpWaitList> unprotect_wait_;  // ~4 KiB each, allocated at init
  std::unique_ptr<SrtpWaitList> protect_wait_;
  uint64_t now_ = 0;
  uint64_t ms_tsc_ = 1;  // TSC ticks per millisecond
  Counters c_{};
  std::vector<TxBatch> tx_;                 // per DPDK port id
  std::vector<std::vector<rte_mbuf*>> out_handoff_;  // per worker, flushed per burst
  NeighborWait waiting_;
  unsigned scan_cursor_ = 0;
  unsigned fill_cursor_ = 0;
  bool dumping_ = false;
  uint32_t dump_seq_ = 0;
  unsigned dump_cursor_ = 0;
};


}  // namespace trunkgate::dp
