// `checkout CART.json` and `quote CART.json` (SPEC.md sections 4 and 8): the same
// path; a quote rolls back and pushes nothing.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/receipt_text.h"
#include "core/cart.h"
#include "service/orders.h"

namespace shopctl::cli {

namespace {

struct CheckoutOptions {
    std::string cart_path;
    bool explain = false;
};

int run_checkout(const Settings& settings, const CheckoutOptions& options, db::CheckoutMode mode) {
    auto now = service::resolve_now(settings);
    if (!now) return report_error(settings, now.error());
    auto platform = service::platform_config(settings);
    if (!platform) return report_error(settings, platform.error());
    auto text = service::read_input(options.cart_path, service::kMaxCartBytes, Error::InvalidCart);
    if (!text) return report_error(settings, text.error());
    auto cart = parse_cart(*text);
    if (!cart) return report_error(settings, cart.error());
    auto store = service::open_store(settings);
    if (!store) return report_error(settings, store.error());

    service::OutboxDelivery delivery(**store, *platform);
    auto receipt = service::check_out(**store, delivery, *cart, *now, mode, warn);
    if (!receipt) return report_error(settings, receipt.error());
    if (settings.json) std::cout << receipt->to_json_text(options.explain) << '\n';
    else std::cout << render_receipt(*receipt, options.explain, use_colour());
    return 0;
}

void add_one(CommandSetup setup, const char* name, const char* description, const char* example,
             db::CheckoutMode mode) {
    auto* sub = setup.app.add_subcommand(name, description);
    auto options = std::make_shared<CheckoutOptions>();
    sub->add_option("CART", options->cart_path, "cart JSON file, or - to read stdin")->type_name("FILE")->required();
    sub->add_flag("--explain", options->explain, "also say, for each of the member's coupons, whether it was used and why not");
    sub->footer(example);
    sub->group("Orders");
    RunFunction& selected = setup.selected;
    sub->callback([options, mode, &selected] {
        selected = [options, mode](const Settings& s) { return run_checkout(s, *options, mode); };
    });
}

}  // namespace

void add_checkout_commands(CommandSetup setup) {
    add_one(setup, "checkout", "Buy a cart: check the member, stock and coupons, pay with points, record the order",
            "Example:\n  shopctl checkout cart.json --json | jq .total\n  echo '{\"member_id\":1,\"items\":[{\"product_id\":10,\"quantity\":1}]}' | shopctl checkout -",
            db::CheckoutMode::Order);
    add_one(setup, "quote", "Price a cart exactly as checkout would, then roll back: nothing is written or sent",
            "Example:\n  shopctl quote cart.json --explain", db::CheckoutMode::Quote);
}

}  // namespace shopctl::cli
