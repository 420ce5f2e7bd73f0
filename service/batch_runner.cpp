#include "service/batch_runner.h"

#include <algorithm>
#include <chrono>

#include "core/cart.h"

namespace shopctl::service {

namespace {

// The idempotency_key of a line that is not a valid cart, when it has a readable one.
std::optional<std::string> idempotency_key_of(std::string_view text) {
    auto json = parse_json_text(text, Error::InvalidCart, "the cart");
    if (!json || !json->is_object()) return std::nullopt;
    const Json* key = find_key(*json, "idempotency_key");
    if (!key || !key->is_string()) return std::nullopt;
    return key->get<std::string>();
}

}  // namespace

Json BatchResult::to_json() const { return Json::parse(to_line()); }

std::string BatchResult::to_line() const {
    JsonText out;
    out.begin_object().field("line", line);
    out.field("idempotency_key", idempotency_key);
    out.field("ok", ok);
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

BatchRunner::BatchRunner(db::Store& store, OutboxDelivery& delivery, Clock clock, int64_t commit_every, Emit emit,
                         Abandon abandon)
    : store_(store),
      delivery_(delivery),
      clock_(std::move(clock)),
      commit_every_(commit_every),
      emit_(std::move(emit)),
      abandon_(std::move(abandon)) {}

void BatchRunner::add(int64_t line, std::string_view text) {
    InHand cart;
    cart.result.line = line;
    if (keep_input_) cart.result.input = text;
    auto parsed = parse_cart(text);
    if (parsed) {
        cart.result.idempotency_key = parsed->idempotency_key;
        cart.cart = std::move(*parsed);
        ++carts_in_hand_;
        bytes_in_hand_ += text.size();
    } else {
        cart.result.idempotency_key = idempotency_key_of(text);
        cart.result.error = parsed.error();
        if (keep_input_) bytes_in_hand_ += text.size();  // held until the group's results go out
    }
    in_hand_.push_back(std::move(cart));
}

void BatchRunner::add_refused(int64_t line, Error error) {
    InHand refused;
    refused.result.line = line;
    refused.result.error = std::move(error);
    in_hand_.push_back(std::move(refused));
}

bool BatchRunner::group_full() const {
    return static_cast<int64_t>(carts_in_hand_) >= commit_every_ || bytes_in_hand_ >= kGroupTextBytes;
}

void BatchRunner::check_out(InHand& cart, std::vector<int64_t>& pushes, const Cart* next) {
    const auto start = std::chrono::steady_clock::now();
    store_.announce_next_cart(next);
    // Created unclaimed: the group claims its rows after the commit, just before pushing.
    auto checked_out = store_.checkout(*cart.cart, clock_(), db::CheckoutMode::Order, std::nullopt);
    if (checked_out) {
        cart.result.ok = true;
        cart.result.receipt = std::move(checked_out->receipt);
        if (checked_out->outbox_id) pushes.push_back(*checked_out->outbox_id);
    } else {
        cart.result.error = checked_out.error();
    }
    summary_.record_latency(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
}

bool BatchRunner::run_group(bool push) {
    std::vector<int64_t> pushes;  // the outbox rows of the group's new orders
    // One transaction per cart at --commit-every 1; else one for the group, a savepoint each.
    const bool grouped = commit_every_ > 1 && carts_in_hand_ > 0;
    std::optional<Error> group_failed;
    bool abandoned = false;
    size_t open_from = 0;         // the first cart of the open transaction
    size_t pushes_committed = 0;  // pushes of carts already committed
    // Nothing of the open transaction exists: each of its carts failed with `error`.
    auto fail_open = [&](const Error& error, size_t end) {
        for (size_t k = open_from; k < end; ++k) {
            if (!in_hand_[k].cart) continue;
            in_hand_[k].result.ok = false;
            in_hand_[k].result.receipt = Receipt{};
            in_hand_[k].result.error = error;
        }
        pushes.resize(pushes_committed);
    };
    if (grouped)
        if (auto s = store_.begin_group(); !s) group_failed = s.error();
    auto group_opened = std::chrono::steady_clock::now();
    // Commits the open group (its carts before `next`) and opens a new one from `next`;
    // false when the new one cannot be had (group_failed says why).
    auto commit_and_reopen = [&](size_t next) {
        if (auto s = store_.commit_group(); !s) {
            (void)store_.rollback_group();
            fail_open(s.error(), next);
        }
        pushes_committed = pushes.size();
        open_from = next;
        group_opened = std::chrono::steady_clock::now();
        if (auto s = store_.begin_group(); !s) {
            group_failed = s.error();
            return false;
        }
        return true;
    };
    // The cart after `i` in this group, if any: the store may send its reads early.
    const auto next_after = [&](size_t i) -> const Cart* {
        if (!grouped) return nullptr;
        for (size_t j = i + 1; j < in_hand_.size(); ++j)
            if (in_hand_[j].cart) return &*in_hand_[j].cart;
        return nullptr;
    };
    for (size_t i = 0; i < in_hand_.size() && !group_failed; ++i) {
        if (!in_hand_[i].cart) continue;
        if (abandon_ && abandon_()) {
            // The open transaction is rolled back; only carts committed before it print.
            if (grouped) (void)store_.rollback_group();
            in_hand_.resize(open_from);
            pushes.resize(pushes_committed);
            abandoned = true;
            break;
        }
        check_out(in_hand_[i], pushes, next_after(i));
        for (int again = 0; grouped && again < 3 && store_.take_group_conflict(); ++again) {
            // The cart needed a row another process holds while this group held rows of
            // its own (or a deadlock was found): commit what the group did, then run the
            // cart again first in a new group, where it may wait without holding anything.
            BatchResult again_result;  // the cart's outcome so far is void: only its line and key stay
            again_result.line = in_hand_[i].result.line;
            again_result.idempotency_key = in_hand_[i].result.idempotency_key;
            again_result.input = std::move(in_hand_[i].result.input);
            in_hand_[i].result = std::move(again_result);
            if (!commit_and_reopen(i)) break;
            check_out(in_hand_[i], pushes, next_after(i));
        }
        // Held long enough: commit what the group did, go on in a new one.
        if (grouped && !group_failed && i + 1 < in_hand_.size() &&
            std::chrono::steady_clock::now() - group_opened >= kGroupHoldTime)
            commit_and_reopen(i + 1);
    }
    if (grouped && !group_failed && !abandoned)
        if (auto s = store_.commit_group(); !s) {
            (void)store_.rollback_group();
            group_failed = s.error();
        }
    if (group_failed) fail_open(*group_failed, in_hand_.size());

    std::vector<BatchResult> results;
    results.reserve(in_hand_.size());
    for (auto& c : in_hand_) {
        ++summary_.carts;
        if (c.result.ok) {
            ++summary_.ok;
            if (c.result.receipt.replayed) ++summary_.replayed;
        } else {
            ++summary_.failed_by_code[std::string(code_name(c.result.error.code))];
        }
        results.push_back(std::move(c.result));
    }
    in_hand_.clear();
    carts_in_hand_ = bytes_in_hand_ = 0;
    if (abandoned && results.empty()) return false;
    emit_(results);  // committed and synced: the lines may go out

    if (push && delivery_.configured() && !abandoned) {
        // A failed push or claim leaves rows PENDING for `outbox flush`: the orders are committed.
        (void)delivery_.deliver_rows(pushes, clock_, abandon_);
    }
    return !abandoned;
}

}  // namespace shopctl::service
