#include "runtime/cluster/assignment.h"

#include <map>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace sluice::cluster {
namespace {

constexpr char kLeader[] = "w1";

// Members w1..wN, each with the generator plugin; `connectors` generator connectors c1..cM.
AssignmentInputs Inputs(int members, int connectors) {
  AssignmentInputs in;
  for (int i = 1; i <= members; ++i) {
    const std::string id = "w" + std::to_string(i);
    in.members.push_back(id);
    in.plugins[id] = {"generator", "io.example.Generator"};
  }
  for (int i = 1; i <= connectors; ++i) in.connectors["c" + std::to_string(i)] = "generator";
  in.now_ms = 1'000'000;
  in.max_delay = absl::ZeroDuration();
  return in;
}

std::map<std::string, int> Counts(const Assignment& a) {
  std::map<std::string, int> out;
  for (const auto& [connector, owner] : a.owners) ++out[owner];
  return out;
}

// Every worker acknowledges the assignment (it runs what the assignment gives it).
void AckAll(AssignmentInputs& in, const Assignment& a) {
  for (const std::string& m : in.members) in.applied[m] = a.epoch;
}

TEST(Assignment, SixConnectorsSpreadTwoPerWorkerEachOnExactlyOne) {
  AssignmentInputs in = Inputs(3, 6);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  EXPECT_EQ(a.epoch, 1);
  EXPECT_EQ(a.leader, kLeader);
  EXPECT_EQ(a.owners.size(), 6u);
  EXPECT_TRUE(a.pending.empty());
  EXPECT_EQ(Counts(a), (std::map<std::string, int>{{"w1", 2}, {"w2", 2}, {"w3", 2}}));
}

TEST(Assignment, TheSameInputsGiveTheSameAssignmentWithoutANewEpoch) {
  AssignmentInputs in = Inputs(3, 6);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  const Assignment b = NextAssignment(a, in, kLeader);
  EXPECT_EQ(b.epoch, a.epoch);
  EXPECT_EQ(b.leader, kLeader);
}

// Followers forward writes to the assignment's leader: a new leader names itself at once.
TEST(Assignment, ANewLeaderPublishesTheSameWorkUnderItsName) {
  AssignmentInputs in = Inputs(3, 6);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  const Assignment b = NextAssignment(a, in, "w2");
  EXPECT_EQ(b.epoch, a.epoch + 1);
  EXPECT_EQ(b.leader, "w2");
  EXPECT_TRUE(b.SameWork(a));
}

TEST(Assignment, AJoiningWorkerTakesItsShareWhileTheOthersKeepTheRest) {
  AssignmentInputs in = Inputs(2, 6);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  AckAll(in, before);
  in.members.push_back("w3");
  in.plugins["w3"] = {"generator"};
  const Assignment revoking = NextAssignment(before, in, kLeader);
  // Phase one: only what moves is revoked, and it is given to nobody yet.
  EXPECT_EQ(revoking.pending.size(), 2u);
  for (const auto& [connector, owner] : revoking.owners) {
    EXPECT_EQ(before.owners.at(connector), owner) << connector << " moved without a revocation";
  }
  for (const auto& [connector, move] : revoking.pending) {
    EXPECT_EQ(move.to, "w3");
    EXPECT_EQ(move.from, before.owners.at(connector));
    EXPECT_FALSE(revoking.owners.contains(connector));
  }
  // Until the old owners acknowledge, the moving connectors stay with nobody.
  EXPECT_EQ(NextAssignment(revoking, in, kLeader).epoch, revoking.epoch);
  AckAll(in, revoking);
  const Assignment after = NextAssignment(revoking, in, kLeader);
  EXPECT_TRUE(after.pending.empty());
  EXPECT_EQ(Counts(after), (std::map<std::string, int>{{"w1", 2}, {"w2", 2}, {"w3", 2}}));
}

TEST(Assignment, AMovingConnectorIsFreedWhenItsOldOwnerLeavesWithoutAcknowledging) {
  AssignmentInputs in = Inputs(1, 2);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  AckAll(in, before);
  in.members.push_back("w2");
  in.plugins["w2"] = {"generator"};
  const Assignment revoking = NextAssignment(before, in, kLeader);
  ASSERT_EQ(revoking.pending.size(), 1u);
  in.members = {"w2"};  // w1 died before it acknowledged
  const Assignment after = NextAssignment(revoking, in, "w2");
  EXPECT_EQ(Counts(after), (std::map<std::string, int>{{"w2", 2}}));
}

TEST(Assignment, ADeadWorkersConnectorsWaitForTheDelayThenMove) {
  AssignmentInputs in = Inputs(3, 6);
  in.max_delay = absl::Seconds(10);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  AckAll(in, before);
  in.members = {"w1", "w2"};
  const Assignment held = NextAssignment(before, in, kLeader);
  EXPECT_EQ(held.lost.size(), 2u);
  EXPECT_EQ(Counts(held), (std::map<std::string, int>{{"w1", 2}, {"w2", 2}}));
  EXPECT_EQ(NextLostDeadlineMs(held, in.max_delay), in.now_ms + 10'000);
  in.now_ms += 9'000;
  EXPECT_EQ(NextAssignment(held, in, kLeader).epoch, held.epoch);
  in.now_ms += 1'000;
  const Assignment moved = NextAssignment(held, in, kLeader);
  EXPECT_TRUE(moved.lost.empty());
  EXPECT_EQ(Counts(moved), (std::map<std::string, int>{{"w1", 3}, {"w2", 3}}));
}

TEST(Assignment, ADeadWorkerBackWithinTheDelayGetsItsConnectorsBack) {
  AssignmentInputs in = Inputs(3, 6);
  in.max_delay = absl::Seconds(10);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  in.members = {"w1", "w2"};
  const Assignment held = NextAssignment(before, in, kLeader);
  in.members = {"w1", "w2", "w3"};
  in.now_ms += 5'000;
  const Assignment back = NextAssignment(held, in, kLeader);
  EXPECT_TRUE(back.lost.empty());
  EXPECT_EQ(back.owners, before.owners);
}

TEST(Assignment, WithNoDelayADeadWorkersConnectorsMoveAtOnce) {
  AssignmentInputs in = Inputs(3, 6);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  in.members = {"w1", "w2"};
  const Assignment after = NextAssignment(before, in, kLeader);
  EXPECT_TRUE(after.lost.empty());
  EXPECT_EQ(Counts(after), (std::map<std::string, int>{{"w1", 3}, {"w2", 3}}));
  for (const auto& [connector, owner] : before.owners) {
    if (owner != "w3") {
      EXPECT_EQ(after.owners.at(connector), owner) << connector;
    }
  }
}

TEST(Assignment, AWorkerWithoutThePluginIsNeverGivenTheConnector) {
  AssignmentInputs in = Inputs(3, 0);
  in.plugins["w3"] = {"other"};
  for (int i = 1; i <= 6; ++i) in.connectors["c" + std::to_string(i)] = "generator";
  in.connectors["orphan"] = "nobody-has-it";
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  EXPECT_EQ(Counts(a), (std::map<std::string, int>{{"w1", 3}, {"w2", 3}}));
  EXPECT_FALSE(a.owners.contains("orphan"));
  // And balancing never moves one there either.
  AckAll(in, a);
  EXPECT_EQ(NextAssignment(a, in, kLeader).epoch, a.epoch);
}

TEST(Assignment, AConnectorClassIsMatchedByAlias) {
  AssignmentInputs in = Inputs(1, 0);
  in.connectors["c"] = "io.example.Generator";
  EXPECT_EQ(NextAssignment(Assignment{}, in, kLeader).owners.at("c"), "w1");
}

TEST(Assignment, ADeletedConnectorLeavesTheAssignment) {
  AssignmentInputs in = Inputs(2, 2);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  in.connectors.erase("c1");
  const Assignment b = NextAssignment(a, in, kLeader);
  EXPECT_FALSE(b.owners.contains("c1"));
  EXPECT_EQ(b.owners.at("c2"), a.owners.at("c2"));
}

TEST(Assignment, EncodesAndDecodesEveryPart) {
  Assignment a;
  a.epoch = 7;
  a.leader = "127.0.0.1:8083";
  a.owners = {{"orders", "127.0.0.1:8083"}, {"shipments", "127.0.0.1:8084"}};
  a.pending = {{"users", PendingMove{"127.0.0.1:8084", "127.0.0.1:8085", 6}}};
  a.lost = {{"audit", LostConnector{"127.0.0.1:8086", 1234}}};
  absl::StatusOr<Assignment> back = DecodeAssignment(EncodeAssignment(a));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->epoch, 7);
  EXPECT_EQ(back->leader, a.leader);
  EXPECT_TRUE(back->SameWork(a));
  EXPECT_FALSE(DecodeAssignment("[1]").ok());
}

}  // namespace
}  // namespace sluice::cluster
