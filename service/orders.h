// The use cases that change an order, on any Store: check out (or quote) a cart, give
// back part or all of an order. Each runs its one transaction in the store, then,
// after the durable commit and never inside it, pushes the new outbox row under this
// process's lease. The CLI, and anything else that places orders one at a time, goes
// through here; batches do the same per group (service/batch_runner.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/cart.h"
#include "core/order_return.h"
#include "core/receipt.h"
#include "db/store.h"
#include "service/outbox_delivery.h"

namespace shopctl::service {

using Warn = std::function<void(const std::string&)>;

// A checkout (pushed; the receipt's platform block says how it went) or a quote
// (rolled back, nothing pushed). `warn` hears of a failed push: the order stands.
Result<Receipt> check_out(db::Store& store, OutboxDelivery& delivery, const Cart& cart, UnixSeconds now,
                          db::CheckoutMode mode, const Warn& warn);

struct GivenBack {
    db::ReturnResult result;
    PlatformState platform;  // of the pushed event (QUEUED for a dry run: nothing written)
};

// `orders return` (the requested lines) and `orders cancel` (everything left).
Result<GivenBack> give_back(db::Store& store, OutboxDelivery& delivery, int64_t order_id,
                            const std::vector<ReturnRequest>& requests, bool cancel, UnixSeconds now, bool dry_run,
                            const Warn& warn);

}  // namespace shopctl::service
