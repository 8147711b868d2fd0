// Loads fix_specs/FIX44.xml and FIX42.xml with QuickFIX and validates a sample of every message type the
// OMS exchanges, including reports carrying many optional fields and repeating groups, as a broker sends
// them. Invalid messages must be refused with the FIX reason QuickFIX would put in a session Reject.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "fix_text.hpp"
#include "oms/fix/quickfix.hpp"

namespace {

using oms::fix::test::Fields;
using oms::fix::test::fix_message;
using oms::fix::test::printable;
using ::testing::HasSubstr;

const std::string kSpecs = std::string(OMS_SOURCE_DIR) + "/fix_specs/";

Fields header(const std::string& msg_type, int seq = 2) {
  return {{35, msg_type}, {49, "BROKER"}, {56, "OMS"}, {34, std::to_string(seq)}, {52, "20240115-14:30:05.123"}};
}
Fields operator+(Fields a, const Fields& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Parses with the dictionary (so repeating groups are recognised) and validates; returns the error text.
std::string validate(const FIX::DataDictionary& dd, const std::string& begin, const Fields& fields) {
  const std::string raw = fix_message(begin, fields);
  try {
    FIX::Message message(raw, dd, true);
    dd.validate(message);
    return {};
  } catch (const FIX::Exception& e) {
    return std::string(e.what()) + " in " + printable(raw);
  }
}

class Fix44Dictionary : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dd_ = new FIX::DataDictionary(kSpecs + "FIX44.xml"); }
  static void TearDownTestSuite() { delete dd_; }
  static std::string check(const Fields& f) { return validate(*dd_, "FIX.4.4", f); }
  static FIX::DataDictionary* dd_;
};
FIX::DataDictionary* Fix44Dictionary::dd_ = nullptr;

TEST_F(Fix44Dictionary, LoadsWithTheVersionAndMessages) {
  EXPECT_EQ(dd_->getVersion(), "FIX.4.4");
  for (const char* type : {"0", "1", "2", "3", "4", "5", "A", "D", "F", "G", "H", "8", "9", "Q", "j", "J", "P"})
    EXPECT_TRUE(dd_->isMsgType(type)) << type;
}

TEST_F(Fix44Dictionary, SessionMessages) {
  EXPECT_EQ(check(header("A", 1) + Fields{{98, "0"}, {108, "30"}, {141, "Y"}, {789, "1"}, {553, "oms"}, {554, "pw"}}), "");
  EXPECT_EQ(check(header("0") + Fields{{112, "T1"}}), "");
  EXPECT_EQ(check(header("1") + Fields{{112, "T1"}}), "");
  EXPECT_EQ(check(header("2") + Fields{{7, "1"}, {16, "0"}}), "");
  EXPECT_EQ(check(header("3") + Fields{{45, "7"}, {371, "38"}, {372, "D"}, {373, "5"}, {58, "bad qty"}}), "");
  EXPECT_EQ(check(header("4") + Fields{{123, "Y"}, {36, "12"}}), "");
  EXPECT_EQ(check(header("5") + Fields{{58, "end of day"}}), "");
  // Resent admin message with PossDup and OrigSendingTime in the header.
  EXPECT_EQ(check(Fields{{35, "4"}, {49, "BROKER"}, {56, "OMS"}, {34, "3"}, {43, "Y"}, {52, "20240115-14:30:06"},
                         {122, "20240115-14:30:05"}, {123, "Y"}, {36, "9"}}),
            "");
}

TEST_F(Fix44Dictionary, NewOrderSingleWithPartiesAndPreAllocations) {
  EXPECT_EQ(check(header("D") + Fields{{11, "OMS-1-1"},
                                       {453, "2"},
                                       {448, "PM7"}, {447, "D"}, {452, "11"},
                                       {448, "DESK"}, {447, "D"}, {452, "12"}, {802, "1"}, {523, "EQ"}, {803, "4"},
                                       {1, "BLOCK"},
                                       {78, "2"},
                                       {79, "FUND-A"}, {467, "A1"}, {80, "600"},
                                       {79, "FUND-B"}, {467, "A2"}, {539, "1"}, {524, "CUST"}, {525, "D"}, {538, "24"}, {80, "400"},
                                       {21, "1"}, {18, "G"}, {100, "XNAS"},
                                       {55, "AAPL"}, {48, "US0378331005"}, {22, "4"}, {454, "1"}, {455, "037833100"}, {456, "1"},
                                       {54, "1"}, {60, "20240115-14:30:05.123"}, {38, "1000"}, {40, "2"}, {44, "187.25"},
                                       {15, "USD"}, {59, "0"}, {12, "0.01"}, {13, "1"}, {528, "A"}, {58, "block"}}),
            "");
}

TEST_F(Fix44Dictionary, CancelReplaceAndStatusRequests) {
  EXPECT_EQ(check(header("F") + Fields{{41, "OMS-1-1"}, {37, "B-1"}, {11, "OMS-1-2"}, {1, "BLOCK"}, {55, "AAPL"},
                                       {54, "1"}, {60, "20240115-14:31:00"}, {38, "1000"}, {58, "pm cancel"}}),
            "");
  EXPECT_EQ(check(header("G") + Fields{{37, "B-1"}, {41, "OMS-1-2"}, {11, "OMS-1-3"}, {1, "BLOCK"},
                                       {78, "1"}, {79, "FUND-A"}, {80, "1500"},
                                       {21, "1"}, {55, "AAPL"}, {54, "1"}, {60, "20240115-14:32:00"}, {38, "1500"},
                                       {40, "2"}, {44, "187.50"}, {59, "0"}}),
            "");
  EXPECT_EQ(check(header("H") + Fields{{37, "B-1"}, {11, "OMS-1-3"}, {790, "S1"}, {55, "AAPL"}, {54, "1"}}), "");
}

TEST_F(Fix44Dictionary, FullExecutionReportWithOptionalFieldsAndGroups) {
  EXPECT_EQ(check(header("8") + Fields{{37, "B-1"}, {198, "X-9"}, {11, "OMS-1-3"}, {41, "OMS-1-2"},
                                       {453, "1"}, {448, "GSCO"}, {447, "B"}, {452, "1"},
                                       {382, "2"}, {375, "MLCO"}, {337, "T1"}, {437, "300"}, {438, "20240115-14:33:00"},
                                       {375, "JPMS"}, {437, "200"},
                                       {17, "E-77"}, {150, "F"}, {39, "1"}, {636, "Y"}, {1, "BLOCK"}, {63, "0"}, {64, "20240117"},
                                       {55, "AAPL"}, {48, "US0378331005"}, {22, "4"}, {460, "5"}, {167, "CS"}, {207, "XNAS"},
                                       {54, "1"}, {38, "1500"}, {40, "2"}, {44, "187.50"}, {15, "USD"}, {59, "0"},
                                       {18, "G"}, {528, "A"}, {32, "500"}, {31, "187.4925"}, {30, "XNAS"}, {336, "REG"}, {29, "1"},
                                       {151, "1000"}, {14, "500"}, {6, "187.4925"}, {424, "1500"}, {425, "500"}, {426, "187.4925"},
                                       {75, "20240115"}, {60, "20240115-14:33:00.456"},
                                       {12, "5.00"}, {13, "3"}, {479, "USD"},
                                       {381, "93746.25"}, {118, "93751.25"}, {119, "93751.25"}, {120, "USD"},
                                       {21, "1"}, {110, "100"}, {77, "O"}, {58, "partial"}, {442, "1"}, {851, "1"},
                                       {518, "1"}, {519, "1"}, {520, "5.00"}, {521, "USD"},
                                       {555, "0"},
                                       {136, "2"}, {137, "0.42"}, {138, "USD"}, {139, "1"}, {891, "0"},
                                       {137, "1.10"}, {139, "4"}}),
            "");
}

TEST_F(Fix44Dictionary, EveryExecTypeTheOmsHandles) {
  for (const char* exec_type : {"0", "3", "4", "5", "6", "8", "A", "C", "D", "E", "F", "G", "H", "I"}) {
    Fields f = header("8") + Fields{{37, "B-1"}, {11, "OMS-1-1"}, {17, std::string("E-") + exec_type}};
    if (*exec_type == 'G' || *exec_type == 'H') f.push_back({19, "E-77"});
    f = f + Fields{{150, exec_type}, {39, "0"}, {55, "AAPL"}, {54, "2"}, {151, "100"}, {14, "0"}, {6, "0"}};
    EXPECT_EQ(check(f), "") << exec_type;
  }
}

TEST_F(Fix44Dictionary, CancelRejectDontKnowAndBusinessReject) {
  EXPECT_EQ(check(header("9") + Fields{{37, "B-1"}, {11, "OMS-1-4"}, {41, "OMS-1-3"}, {39, "2"}, {1, "BLOCK"},
                                       {60, "20240115-14:34:00"}, {434, "1"}, {102, "0"}, {58, "too late"}}),
            "");
  EXPECT_EQ(check(header("Q") + Fields{{37, "B-9"}, {17, "E-99"}, {127, "D"}, {55, "MSFT"}, {54, "1"}, {38, "100"},
                                       {32, "100"}, {31, "410.10"}, {58, "unknown order"}}),
            "");
  EXPECT_EQ(check(header("j") + Fields{{45, "12"}, {372, "G"}, {379, "OMS-1-3"}, {380, "3"}, {58, "unsupported"}}), "");
}

TEST_F(Fix44Dictionary, AllocationInstructionAndAck) {
  EXPECT_EQ(check(header("J") + Fields{{70, "AL-1"}, {71, "0"}, {626, "5"}, {857, "1"},
                                       {73, "1"}, {11, "OMS-1-3"}, {37, "B-1"}, {38, "1500"},
                                       {124, "2"}, {32, "500"}, {17, "E-77"}, {31, "187.4925"}, {32, "1000"}, {17, "E-78"}, {31, "187.50"},
                                       {54, "1"}, {55, "AAPL"}, {53, "1500"}, {6, "187.4975"}, {75, "20240115"},
                                       {60, "20240115-16:00:00"}, {64, "20240117"},
                                       {78, "2"},
                                       {79, "FUND-A"}, {366, "187.4975"}, {80, "900"}, {467, "A1"}, {12, "3.00"}, {13, "3"},
                                       {136, "1"}, {137, "0.25"}, {139, "1"},
                                       {79, "FUND-B"}, {80, "600"}, {467, "A2"}}),
            "");
  EXPECT_EQ(check(header("P") + Fields{{70, "AL-1"}, {75, "20240115"}, {60, "20240115-16:00:01"}, {87, "0"}, {626, "5"},
                                       {78, "1"}, {79, "FUND-A"}, {467, "A1"}, {776, "0"}}),
            "");
}

TEST_F(Fix44Dictionary, RefusesInvalidMessages) {
  // ExecType missing.
  EXPECT_THAT(check(header("8") + Fields{{37, "B-1"}, {17, "E-1"}, {39, "0"}, {55, "AAPL"}, {54, "1"}, {151, "1"},
                                       {14, "0"}, {6, "0"}}),
            HasSubstr("Required tag missing"));
  // 4.2's ExecType 2 (Fill) no longer exists in 4.4.
  EXPECT_THAT(check(header("8") + Fields{{37, "B-1"}, {17, "E-1"}, {150, "2"}, {39, "2"}, {55, "AAPL"}, {54, "1"},
                                       {151, "0"}, {14, "1"}, {6, "1"}}),
            HasSubstr("Value is incorrect"));
  // A tag the dictionary does not know.
  EXPECT_THAT(check(header("8") + Fields{{37, "B-1"}, {17, "E-1"}, {150, "0"}, {39, "0"}, {55, "AAPL"}, {54, "1"},
                                       {151, "1"}, {14, "0"}, {6, "0"}, {4999, "x"}}),
            HasSubstr("Invalid tag number"));
  // A known tag that does not belong to the message (HeartBtInt on an order).
  EXPECT_THAT(check(header("D") + Fields{{11, "X"}, {54, "1"}, {60, "20240115-14:30:05"}, {40, "1"}, {55, "A"}, {108, "30"}}),
            HasSubstr("Tag not defined for this message type"));
  // A price that is not a number.
  EXPECT_THAT(check(header("D") + Fields{{11, "X"}, {55, "A"}, {54, "1"}, {60, "20240115-14:30:05"}, {38, "1"}, {40, "2"},
                                       {44, "1O.5"}}),
            HasSubstr("Incorrect data format"));
  // A group count that does not match its entries.
  EXPECT_THAT(check(header("D") + Fields{{11, "X"}, {78, "2"}, {79, "FUND-A"}, {80, "1"}, {55, "A"}, {54, "1"},
                                       {60, "20240115-14:30:05"}, {40, "1"}}),
            HasSubstr("Repeating group count mismatch"));
}

}  // namespace

namespace {

class Fix42Dictionary : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dd_ = new FIX::DataDictionary(kSpecs + "FIX42.xml"); }
  static void TearDownTestSuite() { delete dd_; }
  static std::string check(const Fields& f) { return validate(*dd_, "FIX.4.2", f); }
  static FIX::DataDictionary* dd_;
};
FIX::DataDictionary* Fix42Dictionary::dd_ = nullptr;

TEST_F(Fix42Dictionary, LoadsWithTheVersionAndMessages) {
  EXPECT_EQ(dd_->getVersion(), "FIX.4.2");
  for (const char* type : {"0", "1", "2", "3", "4", "5", "A", "D", "F", "G", "H", "8", "9", "Q", "j", "J", "P"})
    EXPECT_TRUE(dd_->isMsgType(type)) << type;
}

TEST_F(Fix42Dictionary, SessionMessages) {
  EXPECT_EQ(check(header("A", 1) + Fields{{98, "0"}, {108, "30"}, {141, "Y"}}), "");
  EXPECT_EQ(check(header("0") + Fields{{112, "T1"}}), "");
  EXPECT_EQ(check(header("1") + Fields{{112, "T1"}}), "");
  EXPECT_EQ(check(header("2") + Fields{{7, "1"}, {16, "0"}}), "");
  EXPECT_EQ(check(header("3") + Fields{{45, "7"}, {371, "38"}, {372, "D"}, {373, "5"}, {58, "bad qty"}}), "");
  EXPECT_EQ(check(header("4") + Fields{{123, "Y"}, {36, "12"}}), "");
  EXPECT_EQ(check(header("5") + Fields{{58, "bye"}}), "");
}

TEST_F(Fix42Dictionary, OrdersCancelsReplacesAndStatusRequests) {
  EXPECT_EQ(check(header("D") + Fields{{11, "OMS-1-1"}, {1, "BLOCK"}, {78, "2"}, {79, "FUND-A"}, {80, "600"},
                                       {79, "FUND-B"}, {80, "400"}, {63, "0"}, {21, "1"}, {18, "G"}, {100, "N"},
                                       {55, "AAPL"}, {48, "037833100"}, {22, "1"}, {54, "1"},
                                       {60, "20240115-14:30:05"}, {38, "1000"}, {40, "2"}, {44, "187.25"}, {15, "USD"},
                                       {59, "0"}, {12, "0.01"}, {13, "1"}, {47, "A"}, {77, "O"}, {204, "0"}}),
            "");
  EXPECT_EQ(check(header("F") + Fields{{41, "OMS-1-1"}, {37, "B-1"}, {11, "OMS-1-2"}, {55, "AAPL"}, {54, "1"},
                                       {60, "20240115-14:31:00"}, {38, "1000"}}),
            "");
  EXPECT_EQ(check(header("G") + Fields{{37, "B-1"}, {41, "OMS-1-2"}, {11, "OMS-1-3"}, {21, "1"}, {55, "AAPL"},
                                       {54, "1"}, {60, "20240115-14:32:00"}, {38, "1500"}, {40, "2"}, {44, "187.5"}}),
            "");
  EXPECT_EQ(check(header("H") + Fields{{37, "B-1"}, {11, "OMS-1-3"}, {55, "AAPL"}, {54, "1"}}), "");
}

TEST_F(Fix42Dictionary, FullExecutionReportsForEveryExecTransType) {
  EXPECT_EQ(check(header("8") + Fields{{37, "B-1"}, {198, "X-9"}, {11, "OMS-1-3"}, {41, "OMS-1-2"}, {109, "CL"}, {76, "EB"},
                                       {382, "2"}, {375, "MLCO"}, {337, "T1"}, {437, "300"}, {438, "20240115-14:33:00"},
                                       {375, "JPMS"}, {437, "200"},
                                       {17, "E-77"}, {20, "0"}, {150, "1"}, {39, "1"}, {1, "BLOCK"}, {63, "0"}, {64, "20240117"},
                                       {55, "AAPL"}, {65, "A"}, {48, "037833100"}, {22, "1"}, {167, "CS"}, {207, "N"},
                                       {54, "1"}, {38, "1500"}, {40, "2"}, {44, "187.50"}, {15, "USD"}, {59, "0"}, {18, "G"},
                                       {47, "A"}, {32, "500"}, {31, "187.4925"}, {30, "XNAS"}, {336, "REG"}, {29, "1"},
                                       {151, "1000"}, {14, "500"}, {6, "187.4925"}, {424, "1500"}, {425, "500"}, {426, "187.4925"},
                                       {75, "20240115"}, {60, "20240115-14:33:00"}, {113, "N"}, {12, "5.00"}, {13, "3"},
                                       {381, "93746.25"}, {119, "93751.25"}, {120, "USD"}, {21, "1"}, {110, "100"},
                                       {77, "O"}, {58, "partial"}, {439, "CLR"}, {440, "CLRACC"}, {442, "1"}}),
            "");
  // Trade cancel, trade correct and status (ExecID 0).
  for (const char* trans : {"1", "2", "3"}) {
    Fields f = header("8") + Fields{{37, "B-1"}, {11, "OMS-1-3"}, {17, *trans == '3' ? "0" : "E-80"}, {20, trans}};
    if (*trans != '3') f.push_back({19, "E-77"});
    f = f + Fields{{150, "1"}, {39, "1"}, {55, "AAPL"}, {54, "1"}, {151, "1000"}, {14, "500"}, {6, "187.49"}};
    EXPECT_EQ(check(f), "") << trans;
  }
}

TEST_F(Fix42Dictionary, CancelRejectDontKnowBusinessRejectAllocationAndAck) {
  EXPECT_EQ(check(header("9") + Fields{{37, "B-1"}, {11, "OMS-1-4"}, {41, "OMS-1-3"}, {39, "2"}, {434, "1"},
                                       {102, "0"}, {58, "too late"}}),
            "");
  EXPECT_EQ(check(header("Q") + Fields{{37, "B-9"}, {17, "E-99"}, {127, "D"}, {55, "MSFT"}, {54, "1"}, {38, "100"},
                                       {32, "100"}, {31, "410.10"}}),
            "");
  EXPECT_EQ(check(header("j") + Fields{{45, "12"}, {372, "G"}, {380, "3"}, {58, "unsupported"}}), "");
  EXPECT_EQ(check(header("J") + Fields{{70, "AL-1"}, {71, "0"},
                                       {73, "1"}, {11, "OMS-1-3"}, {37, "B-1"},
                                       {124, "1"}, {32, "1500"}, {17, "E-77"}, {31, "187.50"},
                                       {54, "1"}, {55, "AAPL"}, {53, "1500"}, {6, "187.50"}, {75, "20240115"},
                                       {78, "2"},
                                       {79, "FUND-A"}, {80, "900"}, {12, "3.00"}, {13, "3"},
                                       {136, "1"}, {137, "0.25"}, {138, "USD"}, {139, "1"},
                                       {79, "FUND-B"}, {80, "600"}}),
            "");
  EXPECT_EQ(check(header("P") + Fields{{70, "AL-1"}, {75, "20240115"}, {60, "20240115-16:00:01"}, {87, "0"}}), "");
}

TEST_F(Fix42Dictionary, RefusesInvalidMessages) {
  // ExecTransType is required in 4.2.
  EXPECT_THAT(check(header("8") + Fields{{37, "B-1"}, {17, "E-1"}, {150, "0"}, {39, "0"}, {55, "AAPL"}, {54, "1"},
                                         {151, "1"}, {14, "0"}, {6, "0"}}),
              HasSubstr("Required tag missing"));
  // 4.4's ExecType F (Trade) does not exist in 4.2.
  EXPECT_THAT(check(header("8") + Fields{{37, "B-1"}, {17, "E-1"}, {20, "0"}, {150, "F"}, {39, "2"}, {55, "AAPL"},
                                         {54, "1"}, {151, "0"}, {14, "1"}, {6, "1"}}),
              HasSubstr("Value is incorrect"));
  // HandlInst is required on a 4.2 NewOrderSingle.
  EXPECT_THAT(check(header("D") + Fields{{11, "X"}, {55, "A"}, {54, "1"}, {60, "20240115-14:30:05"}, {40, "1"}}),
              HasSubstr("Required tag missing"));
}

}  // namespace
