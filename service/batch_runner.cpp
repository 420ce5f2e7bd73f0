#include "service/batch_runner.h"

#include <algorithm>
#include <chrono>

#include "core/cart.h"

namespace shopctl::service {

Json BatchResult::to_json() const { return Json::parse(to_line()); }

std::string BatchResult::to_line() const {
    JsonText out;
    out.begin_object().field("line", line).field("ok", ok);
    if (ok) out.key("receipt").raw(receipt.to_json_text());
    else out.key("error").raw(error.to_json().dump(-1, ' ', false, Json::error_handler_t::replace));
    return out.end_object().take();
}

int64_t BatchSummary::failed() const {
    int64_t n = 0;
    for (const auto& [code, count] : failed_by_code) n += count;
    return n;
}

void BatchSummary::record_latency(int64_t micros) {
    ++latency_us[static_cast<size_t>(std::clamp<int64_t>(micros, 0, static_cast<int64_t>(latency_us.size()) - 1))];
}

int64_t BatchSummary::latency_percentile_us(double p) const {
    uint64_t total = 0;
    for (uint32_t n : latency_us) total += n;
    if (total == 0) return 0;
    const auto rank = static_cast<uint64_t>(p * static_cast<double>(total - 1));
    uint64_t seen = 0;
    for (size_t us = 0; us < latency_us.size(); ++us) {
        seen += latency_us[us];
        if (seen > rank) return static_cast<int64_t>(us);
    }
    return static_cast<int64_t>(latency_us.size() - 1);
}

BatchRunner::BatchRunner(db::Store& store, OutboxDelivery& delivery, UnixSeconds now, int64_t commit_every, Emit emit)
    : store_(store), delivery_(delivery), now_(now), commit_every_(commit_every), emit_(std::move(emit)) {}

void BatchRunner::finish(BatchResult result) { pending_.push_back(std::move(result)); }

void BatchRunner::add(int64_t line, const std::string& text) {
    const auto start = std::chrono::steady_clock::now();
    add_timed(line, text);
    summary_.record_latency(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
}

void BatchRunner::add_timed(int64_t line, const std::string& text) {
    BatchResult result;
    result.line = line;
    auto cart = parse_cart(text);
    if (!cart) {
        result.error = cart.error();
        finish(std::move(result));
        if (!group_open_) emit_pending();  // nothing to commit: a bad line is answered at once
        return;
    }
    if (commit_every_ > 1 && !group_open_) {
        if (auto s = store_.begin_group(); !s) {
            result.error = s.error();
            finish(std::move(result));
            emit_pending();
            return;
        }
        group_open_ = true;
    }
    auto checked_out = store_.checkout(*cart, now_, db::CheckoutMode::Order, delivery_.configured());
    if (checked_out) {
        result.ok = true;
        result.receipt = std::move(checked_out->receipt);
        if (checked_out->outbox_id && delivery_.configured())
            pending_pushes_.emplace_back(pending_.size(), *checked_out->outbox_id);
    } else {
        result.error = checked_out.error();
    }
    finish(std::move(result));
    if (!group_open_) {
        emit_pending();
    } else if (++in_group_ >= commit_every_) {
        commit();
    }
}

void BatchRunner::commit() {
    if (group_open_) {
        group_open_ = false;
        in_group_ = 0;
        if (auto s = store_.commit_group(); !s) {
            // Nothing of this group exists: every cart in it failed with the commit's error.
            (void)store_.rollback_group();
            for (auto& r : pending_) {
                if (!r.ok) continue;
                r.ok = false;
                r.receipt = Receipt{};
                r.error = s.error();
            }
            pending_pushes_.clear();
        }
    }
    emit_pending();
}

void BatchRunner::emit_pending() {
    for (const auto& [index, outbox_id] : pending_pushes_) {
        auto state = delivery_.deliver(outbox_id, now_, nullptr);
        if (state) pending_[index].receipt.platform = *state;
    }
    pending_pushes_.clear();
    for (const auto& r : pending_) {
        ++summary_.carts;
        if (r.ok) ++summary_.ok;
        else ++summary_.failed_by_code[std::string(code_name(r.error.code))];
        emit_(r);
    }
    pending_.clear();
}

}  // namespace shopctl::service
