#include "runtime/cluster/assignment.h"

#include <map>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace sluice::cluster {
namespace {

constexpr char kLeader[] = "w1";

WorkUnit C(const std::string& name) { return WorkUnit::Connector(name); }
WorkUnit T(const std::string& name, int task) { return WorkUnit::Task(name, task); }

// Members w1..wN, each with the generator plugin; `connectors` generator connectors c1..cM, each
// with `tasks` committed task configs (0: connector instances alone).
AssignmentInputs Inputs(int members, int connectors, int tasks = 0) {
  AssignmentInputs in;
  for (int i = 1; i <= members; ++i) {
    const std::string id = "w" + std::to_string(i);
    in.members.push_back(id);
    in.plugins[id] = {"generator", "io.example.Generator"};
  }
  for (int i = 1; i <= connectors; ++i) in.connectors["c" + std::to_string(i)] = {"generator", tasks};
  in.now_ms = 1'000'000;
  in.max_delay = absl::ZeroDuration();
  return in;
}

// How many connector instances (or, with `tasks`, tasks) each worker runs.
std::map<std::string, int> Counts(const Assignment& a, bool tasks = false) {
  std::map<std::string, int> out;
  for (const auto& [unit, owner] : a.owners) {
    if (unit.is_task() == tasks) ++out[owner];
  }
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
    EXPECT_EQ(before.owners.at(connector), owner) << connector.Name() << " moved without a revocation";
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
      EXPECT_EQ(after.owners.at(connector), owner) << connector.Name();
    }
  }
}

TEST(Assignment, AWorkerWithoutThePluginIsNeverGivenTheConnector) {
  AssignmentInputs in = Inputs(3, 0);
  in.plugins["w3"] = {"other"};
  for (int i = 1; i <= 6; ++i) in.connectors["c" + std::to_string(i)] = {"generator", 0};
  in.connectors["orphan"] = {"nobody-has-it", 0};
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  EXPECT_EQ(Counts(a), (std::map<std::string, int>{{"w1", 3}, {"w2", 3}}));
  EXPECT_FALSE(a.owners.contains(C("orphan")));
  // And balancing never moves one there either.
  AckAll(in, a);
  EXPECT_EQ(NextAssignment(a, in, kLeader).epoch, a.epoch);
}

TEST(Assignment, AConnectorClassIsMatchedByAlias) {
  AssignmentInputs in = Inputs(1, 0);
  in.connectors["c"] = {"io.example.Generator", 0};
  EXPECT_EQ(NextAssignment(Assignment{}, in, kLeader).owners.at(C("c")), "w1");
}

TEST(Assignment, ADeletedConnectorLeavesTheAssignment) {
  AssignmentInputs in = Inputs(2, 2);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  in.connectors.erase("c1");
  const Assignment b = NextAssignment(a, in, kLeader);
  EXPECT_FALSE(b.owners.contains(C("c1")));
  EXPECT_EQ(b.owners.at(C("c2")), a.owners.at(C("c2")));
}

// ---- tasks as units of their own ----

// The units of `connector` by worker: "w1" -> {"c1", "c1-0", ...}.
std::map<std::string, std::set<std::string>> UnitsByWorker(const Assignment& a) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [unit, owner] : a.owners) out[owner].insert(unit.Name());
  return out;
}

TEST(Assignment, SixTasksOfOneConnectorSpreadTwoPerWorkerAndItsInstanceRunsOnOne) {
  AssignmentInputs in = Inputs(3, 1, 6);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  EXPECT_EQ(Counts(a, /*tasks=*/true), (std::map<std::string, int>{{"w1", 2}, {"w2", 2}, {"w3", 2}}));
  EXPECT_EQ(Counts(a), (std::map<std::string, int>{{"w1", 1}}));
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(a.owners.contains(T("c1", i))) << i;
  EXPECT_EQ(a.TasksOf("w1").size(), 2u);
  EXPECT_EQ(a.ConnectorsOf("w1"), std::vector<std::string>{"c1"});
  EXPECT_TRUE(a.ConnectorsOf("w2").empty());
}

TEST(Assignment, AOneTaskConnectorsTaskRunsBesideItsInstance) {
  AssignmentInputs in = Inputs(3, 6, 1);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  EXPECT_EQ(Counts(a), (std::map<std::string, int>{{"w1", 2}, {"w2", 2}, {"w3", 2}}));
  EXPECT_EQ(Counts(a, true), (std::map<std::string, int>{{"w1", 2}, {"w2", 2}, {"w3", 2}}));
  for (const auto& [name, work] : in.connectors) {
    EXPECT_EQ(a.OwnerOf(T(name, 0)), a.OwnerOf(C(name))) << name;
  }
}

TEST(Assignment, AJoiningWorkerTakesTasksInTwoPhasesWhileTheOthersKeepTheRest) {
  AssignmentInputs in = Inputs(2, 1, 6);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  EXPECT_EQ(Counts(before, true), (std::map<std::string, int>{{"w1", 3}, {"w2", 3}}));
  AckAll(in, before);
  in.members.push_back("w3");
  in.plugins["w3"] = {"generator"};
  const Assignment revoking = NextAssignment(before, in, kLeader);
  ASSERT_EQ(revoking.pending.size(), 2u);  // one task from each; the one instance stays
  for (const auto& [unit, move] : revoking.pending) {
    EXPECT_TRUE(unit.is_task()) << unit.Name();
    EXPECT_EQ(move.to, "w3");
    EXPECT_EQ(move.from, before.owners.at(unit));
  }
  for (const auto& [unit, owner] : revoking.owners) EXPECT_EQ(before.owners.at(unit), owner);
  EXPECT_EQ(NextAssignment(revoking, in, kLeader).epoch, revoking.epoch);  // not acknowledged
  AckAll(in, revoking);
  const Assignment after = NextAssignment(revoking, in, kLeader);
  EXPECT_TRUE(after.pending.empty());
  EXPECT_EQ(Counts(after, true), (std::map<std::string, int>{{"w1", 2}, {"w2", 2}, {"w3", 2}}));
  EXPECT_EQ(after.OwnerOf(C("c1")), before.OwnerOf(C("c1")));
}

TEST(Assignment, ADeadWorkersTasksAndInstanceMoveAndNothingElseDoes) {
  AssignmentInputs in = Inputs(3, 2, 3);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  AckAll(in, before);
  const std::set<std::string> dead_units = UnitsByWorker(before)["w2"];
  ASSERT_FALSE(dead_units.empty());
  in.members = {"w1", "w3"};
  const Assignment after = NextAssignment(before, in, kLeader);
  EXPECT_TRUE(after.pending.empty());
  EXPECT_EQ(after.owners.size(), before.owners.size());  // every unit has an owner again
  EXPECT_EQ(Counts(after, true), (std::map<std::string, int>{{"w1", 3}, {"w3", 3}}));
  for (const auto& [unit, owner] : before.owners) {
    if (owner != "w2") {
      EXPECT_EQ(after.owners.at(unit), owner) << unit.Name();
    }
  }
}

TEST(Assignment, ADeadWorkersTasksWaitForTheDelay) {
  AssignmentInputs in = Inputs(3, 1, 6);
  in.max_delay = absl::Seconds(10);
  const Assignment before = NextAssignment(Assignment{}, in, kLeader);
  in.members = {"w1", "w2"};
  const Assignment held = NextAssignment(before, in, kLeader);
  EXPECT_EQ(held.lost.size(), 2u);
  EXPECT_EQ(held.lost.begin()->second.owner, "w3");
  in.now_ms += 10'000;
  const Assignment moved = NextAssignment(held, in, kLeader);
  EXPECT_TRUE(moved.lost.empty());
  EXPECT_EQ(Counts(moved, true), (std::map<std::string, int>{{"w1", 3}, {"w2", 3}}));
}

TEST(Assignment, AWorkerWithoutThePluginGetsNeitherTheConnectorNorItsTasks) {
  AssignmentInputs in = Inputs(3, 1, 6);
  in.plugins["w1"] = {"other"};
  const Assignment a = NextAssignment(Assignment{}, in, "w2");
  EXPECT_FALSE(UnitsByWorker(a).contains("w1"));
  EXPECT_EQ(Counts(a, true), (std::map<std::string, int>{{"w2", 3}, {"w3", 3}}));
  EXPECT_EQ(Counts(a), (std::map<std::string, int>{{"w2", 1}}));
  // Losing the plugin later revokes its units first (two phases), then they go elsewhere.
  in.plugins["w1"] = {"generator"};
  AckAll(in, a);
  const Assignment revoking = NextAssignment(a, in, "w2");
  AckAll(in, revoking);
  const Assignment spread = NextAssignment(revoking, in, "w2");
  ASSERT_TRUE(UnitsByWorker(spread).contains("w1"));
  AckAll(in, spread);
  in.plugins["w1"] = {"other"};
  const Assignment revoked = NextAssignment(spread, in, "w2");
  for (const auto& [unit, owner] : revoked.owners) EXPECT_NE(owner, "w1") << unit.Name();
  for (const auto& [unit, move] : revoked.pending) EXPECT_EQ(move.from, "w1");
  EXPECT_FALSE(revoked.pending.empty());
  AckAll(in, revoked);
  const Assignment after = NextAssignment(revoked, in, "w2");
  EXPECT_TRUE(after.pending.empty());
  EXPECT_EQ(after.owners.size(), 7u);
  EXPECT_FALSE(UnitsByWorker(after).contains("w1"));
}

TEST(Assignment, FewerTasksDropTheLastOnesAndMoreArePlacedOnTheLeastLoaded) {
  AssignmentInputs in = Inputs(3, 1, 6);
  const Assignment six = NextAssignment(Assignment{}, in, kLeader);
  AckAll(in, six);
  in.connectors["c1"].tasks = 3;
  const Assignment three = NextAssignment(six, in, kLeader);
  for (int i = 3; i < 6; ++i) {
    EXPECT_FALSE(three.owners.contains(T("c1", i)));
    EXPECT_FALSE(three.pending.contains(T("c1", i)));
  }
  for (int i = 0; i < 3; ++i) {
    // A kept task either stays or is being moved to balance; never given to two workers.
    EXPECT_TRUE(three.owners.contains(T("c1", i)) != three.pending.contains(T("c1", i)));
    if (three.owners.contains(T("c1", i))) {
      EXPECT_EQ(three.owners.at(T("c1", i)), six.owners.at(T("c1", i)));
    }
  }
  AckAll(in, three);
  const Assignment settled = NextAssignment(three, in, kLeader);
  EXPECT_EQ(Counts(settled, true), (std::map<std::string, int>{{"w1", 1}, {"w2", 1}, {"w3", 1}}));
  AckAll(in, settled);
  in.connectors["c1"].tasks = 9;
  const Assignment nine = NextAssignment(settled, in, kLeader);
  EXPECT_TRUE(nine.pending.empty());
  EXPECT_EQ(Counts(nine, true), (std::map<std::string, int>{{"w1", 3}, {"w2", 3}, {"w3", 3}}));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(nine.owners.at(T("c1", i)), settled.owners.at(T("c1", i)));
}

TEST(Assignment, ADeletedConnectorTakesItsTasksAlong) {
  AssignmentInputs in = Inputs(3, 2, 3);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  in.connectors.erase("c1");
  const Assignment b = NextAssignment(a, in, kLeader);
  for (const auto& [unit, owner] : b.owners) EXPECT_NE(unit.connector, "c1") << unit.Name();
  for (const auto& [unit, move] : b.pending) EXPECT_NE(unit.connector, "c1") << unit.Name();
  for (int i = 0; i < 3; ++i) {
    if (b.owners.contains(T("c2", i))) {
      EXPECT_EQ(b.owners.at(T("c2", i)), a.owners.at(T("c2", i)));
    }
  }
}

TEST(Assignment, AStoppedConnectorsTasksLeaveWhenItsTaskConfigsAreEmptied) {
  AssignmentInputs in = Inputs(2, 1, 4);
  const Assignment a = NextAssignment(Assignment{}, in, kLeader);
  in.connectors["c1"].tasks = 0;
  const Assignment b = NextAssignment(a, in, kLeader);
  EXPECT_EQ(b.owners.size(), 1u);
  EXPECT_EQ(b.OwnerOf(C("c1")), a.OwnerOf(C("c1")));
}

TEST(Assignment, EncodesAndDecodesEveryPart) {
  Assignment a;
  a.epoch = 7;
  a.leader = "127.0.0.1:8083";
  a.owners = {{C("orders"), "127.0.0.1:8083"},
              {C("shipments"), "127.0.0.1:8084"},
              {T("orders", 0), "127.0.0.1:8084"},
              {T("orders", 1), "127.0.0.1:8083"},
              {T("my-orders-1", 0), "127.0.0.1:8083"}};
  a.pending = {{C("users"), PendingMove{"127.0.0.1:8084", "127.0.0.1:8085", 6}},
               {T("users", 3), PendingMove{"127.0.0.1:8084", "", 5}}};
  a.lost = {{C("audit"), LostUnit{"127.0.0.1:8086", 1234}},
            {T("audit", 12), LostUnit{"127.0.0.1:8086", 1234}}};
  absl::StatusOr<Assignment> back = DecodeAssignment(EncodeAssignment(a));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->epoch, 7);
  EXPECT_EQ(back->leader, a.leader);
  EXPECT_TRUE(back->SameWork(a));
  // A name holding "-1" stays one connector's, not task 1 of another.
  EXPECT_TRUE(back->owners.contains(T("my-orders-1", 0)));
  EXPECT_FALSE(DecodeAssignment("[1]").ok());
}

}  // namespace
}  // namespace sluice::cluster
