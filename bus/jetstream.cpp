#include "bus/jetstream.h"

#include <fmt/format.h>
#include <nats/status.h>

namespace tend {
namespace {

int64_t nanos(std::chrono::nanoseconds d) { return d.count(); }

std::string js_error(std::string_view what, natsStatus s, jsErrCode code) {
  const char* last = nats_GetLastError(nullptr);
  std::string detail = (last && *last) ? last : natsStatus_GetText(s);
  if (code != 0)
    return fmt::format("{}: {} (JetStream error {})", what, detail, static_cast<int>(code));
  return fmt::format("{}: {}", what, detail);
}

}  // namespace

// --- PullConsumer --------------------------------------------------------------

Expected<std::vector<Message>> PullConsumer::fetch(int batch, std::chrono::milliseconds timeout) {
  natsMsgList list{};
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = natsSubscription_Fetch(&list, sub_.get(), batch, timeout.count(), &code);
  std::vector<Message> messages;
  if (s == NATS_TIMEOUT) return messages;
  if (s != NATS_OK) return make_error(js_error("cannot fetch from the stream", s, code));
  messages.reserve(static_cast<size_t>(list.Count));
  for (int i = 0; i < list.Count; ++i) {
    messages.emplace_back(nats::MsgPtr(list.Msgs[i]));
    list.Msgs[i] = nullptr;  // owned by the Message now
  }
  natsMsgList_Destroy(&list);
  return messages;
}

// --- JetStream -----------------------------------------------------------------

Expected<std::unique_ptr<JetStream>> JetStream::open(Connection& connection,
                                                     std::chrono::milliseconds timeout) {
  jsOptions opts;
  jsOptions_Init(&opts);
  opts.Wait = timeout.count();
  jsCtx* js = nullptr;
  natsStatus s = natsConnection_JetStream(&js, connection.conn_.get(), &opts);
  if (s != NATS_OK)
    return make_error(js_error("cannot use JetStream", s, static_cast<jsErrCode>(0)));
  return std::unique_ptr<JetStream>(new JetStream(nats::JetStreamPtr(js)));
}

Expected<void> JetStream::ensure_stream(const StreamSpec& spec) {
  std::vector<const char*> subjects;
  for (const auto& subject : spec.subjects) subjects.push_back(subject.c_str());
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = spec.name.c_str();
  cfg.Subjects = subjects.data();
  cfg.SubjectsLen = static_cast<int>(subjects.size());
  cfg.Storage = js_FileStorage;
  cfg.MaxAge = nanos(spec.max_age);
  cfg.Duplicates = nanos(spec.duplicate_window);
  cfg.MaxBytes = spec.max_bytes;

  jsStreamInfo* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_AddStream(&raw, js_.get(), &cfg, nullptr, &code);
  if (s != NATS_OK && code == JSStreamNameExistErr) {
    s = js_UpdateStream(&raw, js_.get(), &cfg, nullptr, &code);
  }
  nats::StreamInfoPtr info(raw);
  if (s == NATS_NO_RESPONDERS) {
    return make_error("JetStream is not enabled on the NATS server (start nats-server with -js)");
  }
  if (s != NATS_OK) return make_error(js_error("cannot set up stream " + spec.name, s, code));
  return {};
}

Expected<void> JetStream::ensure_consumer(const ConsumerSpec& spec) {
  jsConsumerConfig cfg;
  jsConsumerConfig_Init(&cfg);
  cfg.Durable = spec.durable.c_str();
  cfg.AckPolicy = js_AckExplicit;
  cfg.DeliverPolicy = js_DeliverAll;
  cfg.AckWait = nanos(spec.ack_wait);
  cfg.MaxAckPending = spec.max_ack_pending;
  if (!spec.filter_subject.empty()) cfg.FilterSubject = spec.filter_subject.c_str();

  jsConsumerInfo* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_AddConsumer(&raw, js_.get(), spec.stream.c_str(), &cfg, nullptr, &code);
  if (s != NATS_OK) {
    // It exists with other settings (an older release made it): bring it up to date.
    jsConsumerInfo* updated = nullptr;
    jsErrCode update_code = static_cast<jsErrCode>(0);
    if (js_UpdateConsumer(&updated, js_.get(), spec.stream.c_str(), &cfg, nullptr, &update_code) ==
        NATS_OK) {
      nats::ConsumerInfoPtr keep(updated);
      return {};
    }
  }
  nats::ConsumerInfoPtr info(raw);
  if (s != NATS_OK) {
    return make_error(js_error(
        fmt::format("cannot set up consumer {} on stream {}", spec.durable, spec.stream), s, code));
  }
  return {};
}

Expected<std::unique_ptr<PullConsumer>> JetStream::bind_pull(const ConsumerSpec& spec) {
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = spec.stream.c_str();
  so.Consumer = spec.durable.c_str();
  natsSubscription* sub = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const char* subject = spec.filter_subject.empty() ? nullptr : spec.filter_subject.c_str();
  natsStatus s =
      js_PullSubscribe(&sub, js_.get(), subject, spec.durable.c_str(), nullptr, &so, &code);
  if (s != NATS_OK) {
    return make_error(
        js_error(fmt::format("cannot bind to consumer {} on stream {}", spec.durable, spec.stream),
                 s, code));
  }
  return std::make_unique<PullConsumer>(nats::SubscriptionPtr(sub));
}

JetStream::PublishOutcome JetStream::publish(std::string_view subject,
                                             const google::protobuf::Message& message,
                                             std::string_view message_id, std::string_view stream,
                                             std::chrono::milliseconds timeout) {
  auto msg = make_message(subject, {}, encode(message, Encoding::kProtobuf), Encoding::kProtobuf);
  if (!msg) return {Stored::kNo, msg.error().message};
  std::string id(message_id);
  jsPubOptions opts;
  jsPubOptions_Init(&opts);
  opts.MsgId = id.c_str();
  opts.MaxWait = timeout.count();
  jsPubAck* ack = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_PublishMsg(&ack, js_.get(), msg->get(), &opts, &code);
  nats::PubAckPtr keep(ack);
  if (s == NATS_OK) return {Stored::kYes, {}};
  std::string why = js_error(fmt::format("'{}' not stored", subject), s, code);

  // No acknowledgement: either nothing stores this subject (the publish went
  // out plainly, and that is all there is to it) or the stream could not
  // answer in time (try again). Only the stream's own API can tell.
  std::string stream_name(stream);
  auto exists = has_stream(stream_name);
  if (exists && !*exists) {
    return {Stored::kNoStream,
            fmt::format("no stream {} keeps '{}' (JetStream off, or no coordinator set it up)",
                        stream_name, subject)};
  }
  return {Stored::kNo, why};
}

Expected<bool> JetStream::has_stream(const std::string& stream) {
  jsStreamInfo* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&raw, js_.get(), stream.c_str(), nullptr, &code);
  nats::StreamInfoPtr info(raw);
  if (s == NATS_OK) return true;
  if (s == NATS_NO_RESPONDERS || code == JSStreamNotFoundErr) return false;
  return make_error(js_error("cannot ask for stream " + stream, s, code));
}

Expected<uint64_t> JetStream::stream_messages(const std::string& stream) {
  jsStreamInfo* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&raw, js_.get(), stream.c_str(), nullptr, &code);
  nats::StreamInfoPtr info(raw);
  if (s != NATS_OK) return make_error(js_error("cannot read stream " + stream, s, code));
  return info->State.Msgs;
}

Expected<uint64_t> JetStream::consumer_backlog(const std::string& stream,
                                               const std::string& durable) {
  jsConsumerInfo* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s =
      js_GetConsumerInfo(&raw, js_.get(), stream.c_str(), durable.c_str(), nullptr, &code);
  nats::ConsumerInfoPtr info(raw);
  if (s != NATS_OK) return make_error(js_error("cannot read consumer " + durable, s, code));
  return info->NumPending + static_cast<uint64_t>(info->NumAckPending);
}

}  // namespace tend
