// The JSON documents commands print (beyond the receipt), shared by the CLI and by
// scenario replay so both show exactly the same thing.
#pragma once

#include "core/json_reader.h"
#include "core/receipt.h"
#include "db/store.h"

namespace shopctl::service {

Json platform_json(const PlatformState& state);
// The balance, and with `with_history` the entries of points.history in the order given.
Json points_json(const db::MemberPoints& points, bool with_history);
Json point_entry_json(const db::PointEntry& entry);
// `orders cancel` and `orders return` output: the outbox event without its name, and
// the push's outcome (or "dry_run": true); `explain` adds each line's net and how.
Json return_json(const db::ReturnResult& result, const PlatformState& platform, bool explain = false);
Json coupon_issue_json(int64_t coupon_issue_id, int64_t coupon_id, int64_t member_id);

}  // namespace shopctl::service
