// The start of the inserts of rows that more than one operation writes (a checkout
// writes its history and outbox rows naming its new order's id in SQL; returns,
// charges and cancels bind known values), so their column lists are written once.
#pragma once

#define SHOPCTL_INSERT_POINT_HISTORY \
    "INSERT INTO point_history (member_id, order_id, delta, balance_after, reason, created_at) "

#define SHOPCTL_INSERT_OUTBOX_ROW                                                                     \
    "INSERT INTO platform_outbox (order_id, event, event_no, payload, status, attempts, next_attempt_at, " \
    "claimed_until, claim_token, created_at) "
