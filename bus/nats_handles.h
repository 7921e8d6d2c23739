// The one RAII owner for each nats.c handle. Nothing outside bus/ holds a raw
// nats.c pointer.
#pragma once

#include <nats/nats.h>

#include <memory>

namespace tend::nats {

struct OptionsDeleter {
  void operator()(natsOptions* p) const { natsOptions_Destroy(p); }
};
struct ConnectionDeleter {
  void operator()(natsConnection* p) const { natsConnection_Destroy(p); }
};
struct SubscriptionDeleter {
  void operator()(natsSubscription* p) const { natsSubscription_Destroy(p); }
};
struct MsgDeleter {
  void operator()(natsMsg* p) const { natsMsg_Destroy(p); }
};

struct JetStreamDeleter {
  void operator()(jsCtx* p) const { jsCtx_Destroy(p); }
};
struct StreamInfoDeleter {
  void operator()(jsStreamInfo* p) const { jsStreamInfo_Destroy(p); }
};
struct ConsumerInfoDeleter {
  void operator()(jsConsumerInfo* p) const { jsConsumerInfo_Destroy(p); }
};
struct PubAckDeleter {
  void operator()(jsPubAck* p) const { jsPubAck_Destroy(p); }
};

using OptionsPtr = std::unique_ptr<natsOptions, OptionsDeleter>;
using JetStreamPtr = std::unique_ptr<jsCtx, JetStreamDeleter>;
using StreamInfoPtr = std::unique_ptr<jsStreamInfo, StreamInfoDeleter>;
using ConsumerInfoPtr = std::unique_ptr<jsConsumerInfo, ConsumerInfoDeleter>;
using PubAckPtr = std::unique_ptr<jsPubAck, PubAckDeleter>;
using ConnectionPtr = std::unique_ptr<natsConnection, ConnectionDeleter>;
using SubscriptionPtr = std::unique_ptr<natsSubscription, SubscriptionDeleter>;
using MsgPtr = std::unique_ptr<natsMsg, MsgDeleter>;

}  // namespace tend::nats
