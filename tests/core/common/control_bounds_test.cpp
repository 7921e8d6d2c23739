#include "core/common/control_bounds.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

std::string refusal(const tend::Control& control) {
  auto ok = check_control_bounds(control);
  return ok ? "accepted" : ok.error().message;
}

TEST(ControlBounds, ActionByAndReasonAreBounded) {
  tend::Control control;
  control.set_action("pause");
  control.set_by(std::string(256, 'b'));
  control.set_reason(std::string(4096, 'r'));
  EXPECT_EQ(refusal(control), "accepted");

  control.set_by(std::string(257, 'b'));
  EXPECT_EQ(refusal(control), "by is 257 bytes; the limit is 256");
  control.set_by("alice");
  control.set_reason(std::string(100'000, 'r'));
  EXPECT_EQ(refusal(control), "reason is 100000 bytes; the limit is 4096");
  control.set_action(std::string(33, 'a'));
  EXPECT_EQ(refusal(control), "action is 33 bytes; the limit is 32");
}

}  // namespace
}  // namespace tend
