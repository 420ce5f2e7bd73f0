#include "cli/output.h"

namespace shopctl::cli {

int exit_code(ErrorCode code) {
    switch (code) {
        case ErrorCode::NotAMember: return 10;
        case ErrorCode::ProductNotFound: return 11;
        case ErrorCode::ProductSaleEnded: return 12;
        case ErrorCode::OutOfStock: return 13;
        case ErrorCode::CouponNotUsable: return 14;
        case ErrorCode::CouponNotApplicable: return 15;
        case ErrorCode::InsufficientPoints: return 16;
        case ErrorCode::PriceChanged: return 17;
        case ErrorCode::IdempotencyConflict: return 18;
        case ErrorCode::OrderNotFound: return 19;
        case ErrorCode::OrderAlreadyCancelled: return 20;
        case ErrorCode::ReturnExceedsOrder: return 21;
        case ErrorCode::Usage: return 64;
        case ErrorCode::InvalidCart:
        case ErrorCode::InvalidFixture:
        case ErrorCode::InvalidInput: return 65;
        case ErrorCode::InputNotFound: return 66;
        case ErrorCode::PlatformUnavailable: return 69;
        case ErrorCode::StoreError: return 74;
        case ErrorCode::StoreBusy: return 75;
    }
    return 74;
}

}  // namespace shopctl::cli
