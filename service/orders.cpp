#include "service/orders.h"

namespace shopctl::service {

Result<Receipt> check_out(db::Store& store, OutboxDelivery& delivery, const Cart& cart, UnixSeconds now,
                          db::CheckoutMode mode, const Warn& warn) {
    auto result = store.checkout(cart, now, mode, mode == db::CheckoutMode::Order ? delivery.lease_for(1) : std::nullopt);
    if (!result) return result.error();
    Receipt receipt = std::move(result->receipt);
    if (result->outbox_id && delivery.configured()) {
        // After the durable commit: a failed push leaves the order whole and the row queued.
        auto state = delivery.deliver(*result->outbox_id, now, warn);
        if (state) receipt.platform = *state;
        else if (warn)
            warn("order " + std::to_string(receipt.order_id.value_or(0)) +
                 " is committed but its platform state could not be recorded: " + state.error().message);
    }
    return receipt;
}

Result<GivenBack> give_back(db::Store& store, OutboxDelivery& delivery, int64_t order_id,
                            const std::vector<ReturnRequest>& requests, bool cancel, UnixSeconds now, bool dry_run,
                            const Warn& warn) {
    auto done = store.return_order(order_id, requests, cancel, now, dry_run ? std::nullopt : delivery.lease_for(1),
                                   dry_run);
    if (!done) return done.error();
    GivenBack out{std::move(*done), PlatformState{}};
    if (out.result.outbox_id)
        if (auto pushed = delivery.deliver(*out.result.outbox_id, now, warn)) out.platform = *pushed;
    return out;
}

}  // namespace shopctl::service
