// ZEGO's .NET demo (token/.net/token04/demo/.../Form1.cs) as a console program: the same
// calls, unchanged, without the Windows Forms window around them. The payload is built
// with Json.NET, as in the demo; the demo's own values are kept, including its
// privilege value 2 for key "2" (ZEGO documents only 0 and 1).
using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using ZegoServerAssistant;

public static class DropInSample
{
    public static void Main()
    {
        // The basic token of the older demo (four arguments, no payload).
        ZegoServerAssistant.GenerateTokenResult basic = ZegoServerAssistant.ServerAssistant.GenerateToken04(3417014186, "999922222333333", "fa4b7e22b9c73dcdb6e7f7f116b9102a", 3600);

        // The room-privilege token of the current demo.
        Dictionary<string, object> payload = new Dictionary<string, object>();
        payload["room_id"] = "0002";
        List<string> stream_id_list = new List<string>();
        stream_id_list.Add("0002");
        Dictionary<string, object> privilege = new Dictionary<string, object>();
        privilege["1"] = 1;
        privilege["2"] = 2;
        payload["stream_id_list"] = stream_id_list;
        payload["privilege"] = privilege;
        string strPayload = JsonConvert.SerializeObject(payload);

        ZegoServerAssistant.GenerateTokenResult rtc_result = ZegoServerAssistant.ServerAssistant.GenerateToken04(911619106, "456", "bcdcd0f6e5fd1835487c706b11084a23", 3600, strPayload);

        Console.WriteLine("basic: " + basic.errorInfo.errorCode + " " + basic.errorInfo.errorMessage + " " + basic.token);
        Console.WriteLine("rtc: " + rtc_result.errorInfo.errorCode + " " + rtc_result.errorInfo.errorMessage + " " + rtc_result.token);
    }
}
