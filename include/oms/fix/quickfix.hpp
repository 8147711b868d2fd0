#pragma once
// The one way this project includes QuickFIX 1.15.1 under C++20.
//
// QuickFIX's headers declare dynamic exception specifications (`void f() throw( DoNotSend )`), which GCC 12
// refuses from C++17 on. We include every standard header QuickFIX uses first (so the macro below cannot
// touch them), then define a function-like macro `throw(...)` that erases such a specification, read the
// QuickFIX headers, and remove the macro. A function-like macro only expands where its name is followed by
// `(`, and every `throw(` in the QuickFIX headers is a specification: throw statements there are written
// `throw X(...)`, so they are left alone. Overrides of FIX::Application written against this header carry
// no specification. Exception specifications are not part of the ABI, so the stock libquickfix links.
//
// Never define HAVE_STD_UNIQUE_PTR: the Debian library was built with std::auto_ptr (SmartPtr), and class
// layouts must match it.
//
// Link target: oms_quickfix (src/fix/CMakeLists.txt), which adds -lquickfix and Threads.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_STD_UNIQUE_PTR
#error "HAVE_STD_UNIQUE_PTR must not be defined: Debian's libquickfix is built with std::auto_ptr"
#endif

// std::auto_ptr (QuickFIX's SmartPtr) is deprecated; the warning would fire in our translation units.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#pragma GCC diagnostic ignored "-Wdeprecated"

#define OMS_QUICKFIX_ERASE(...)
#define throw(...) OMS_QUICKFIX_ERASE(__VA_ARGS__)

#include <quickfix/Application.h>
#include <quickfix/DataDictionary.h>
#include <quickfix/DataDictionaryProvider.h>
#include <quickfix/Dictionary.h>
#include <quickfix/Exceptions.h>
#include <quickfix/FieldConvertors.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Log.h>
#include <quickfix/Message.h>
#include <quickfix/MessageStore.h>
#include <quickfix/NullStore.h>
#include <quickfix/Parser.h>
#include <quickfix/Responder.h>
#include <quickfix/Session.h>
#include <quickfix/SessionFactory.h>
#include <quickfix/SessionID.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/ThreadedSocketInitiator.h>
#include <quickfix/Values.h>
#include <quickfix/fix42/NewOrderSingle.h>
#include <quickfix/fix42/OrderCancelRequest.h>
#include <quickfix/fix42/OrderCancelReplaceRequest.h>
#include <quickfix/fix42/OrderStatusRequest.h>
#include <quickfix/fix42/ExecutionReport.h>
#include <quickfix/fix42/OrderCancelReject.h>
#include <quickfix/fix42/DontKnowTrade.h>
#include <quickfix/fix42/BusinessMessageReject.h>
#include <quickfix/fix42/Allocation.h>
#include <quickfix/fix42/AllocationInstructionAck.h>
#include <quickfix/fix42/Reject.h>
#include <quickfix/fix42/Logon.h>
#include <quickfix/fix42/Logout.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelRequest.h>
#include <quickfix/fix44/OrderCancelReplaceRequest.h>
#include <quickfix/fix44/OrderStatusRequest.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/OrderCancelReject.h>
#include <quickfix/fix44/DontKnowTrade.h>
#include <quickfix/fix44/BusinessMessageReject.h>
#include <quickfix/fix44/AllocationInstruction.h>
#include <quickfix/fix44/AllocationInstructionAck.h>
#include <quickfix/fix44/Reject.h>
#include <quickfix/fix44/Logon.h>
#include <quickfix/fix44/Logout.h>

#undef throw
#undef OMS_QUICKFIX_ERASE

#pragma GCC diagnostic pop
