// The C ABI of zego-token (crates/zego-token-ffi/include/zego_token.h), declared for
// P/Invoke. Every struct here mirrors the header's; the library-allocated ones
// (ZegoTokenError, ZegoTokenGenerated, ZegoTokenDecoded, ZegoTokenRoom, ZegoTokenWarning)
// are only read through pointers, so members the library appends later do no harm.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace ZegoToken
{
    internal static unsafe class Native
    {
        /// <summary>Resolved as libzego_token_ffi.so / .dylib / zego_token_ffi.dll by the runtime.</summary>
        internal const string Lib = "zego_token_ffi";
        internal const uint AbiVersion = 1;

        internal const int Ok = 0;
        internal const int StatusInvalidArgument = 1;
        internal const int StatusInvalidInput = 2;
        internal const int StatusInternal = 99;
        internal const uint ModeCbc = 0;
        internal const uint ModeGcm = 1;
        internal const uint PayloadRoom = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct Error
        {
            internal int status;
            internal uint official_code;
            internal uint zego_code;
            internal uint zim_code;
            internal byte* kind;
            internal byte* field;
            internal byte* message;
            internal byte* advice;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Str
        {
            internal byte* ptr;
            internal UIntPtr len;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Warning
        {
            internal byte* rule;
            internal byte* product;
            internal uint code;
            internal byte* message;
            internal byte blocking;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Generated
        {
            internal Str token;
            internal long ctime;
            internal long expire;
            internal int nonce;
            internal uint mode;
            internal Warning* warnings;
            internal UIntPtr warning_count;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Header
        {
            internal long expire;
            internal UIntPtr ciphertext_len;
            internal uint mode;
            internal byte has_mode_byte;
            internal byte iv_len;
            internal fixed byte iv[16];
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Room
        {
            internal Str room_id;
            internal byte can_login;
            internal byte can_publish;
            internal byte has_stream_list;
            internal Str* stream_ids;
            internal UIntPtr stream_count;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Decoded
        {
            internal uint app_id;
            internal uint mode;
            internal long nonce;
            internal long ctime;
            internal long expire;
            internal long header_expire;
            internal Str user_id;
            internal Str payload;
            internal byte* iv;
            internal UIntPtr iv_len;
            internal uint payload_kind;
            internal Room* room;
            internal Warning* warnings;
            internal UIntPtr warning_count;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Validation
        {
            internal uint app_id;
            internal uint leeway_seconds;
            internal Str user_id;
            internal Str room_id;
            internal Str stream_id;
            internal byte require_publish;
            internal byte use_fixed_now;
            internal long now;
        }

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern uint zego_token_abi_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern byte* zego_token_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void zego_token_string_free(byte* s);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void zego_token_error_free(Error* error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_generate_token04(uint app_id, byte* user_id, UIntPtr user_id_len,
            byte* secret, UIntPtr secret_len, long effective_time_in_seconds, byte* payload, UIntPtr payload_len,
            byte** token_out, UIntPtr* token_len_out, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_secret_new(byte* secret, UIntPtr secret_len, out SecretHandle secret_out, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void zego_token_secret_free(IntPtr secret);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_room_payload(byte* room_id, UIntPtr room_id_len, byte allow_login, byte allow_publish,
            Str* stream_ids, UIntPtr stream_count, byte** payload_out, UIntPtr* payload_len_out, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_generate(SecretHandle secret, uint app_id, byte* user_id, UIntPtr user_id_len,
            long effective_time_in_seconds, byte* payload, UIntPtr payload_len, uint mode, Generated** out_, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_generate_at(SecretHandle secret, uint app_id, byte* user_id, UIntPtr user_id_len,
            long effective_time_in_seconds, byte* payload, UIntPtr payload_len, uint mode, long ctime, Generated** out_, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void zego_token_generated_free(Generated* generated);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_inspect(byte* token, UIntPtr token_len, Header* out_, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_decode(SecretHandle secret, byte* token, UIntPtr token_len, Decoded** out_, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern void zego_token_decoded_free(Decoded* decoded);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_validation_init(Validation* validation, uint app_id);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_verify(SecretHandle secret, byte* token, UIntPtr token_len, Validation* validation,
            Decoded** out_, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_kit_token(byte* token04, UIntPtr token04_len, uint app_id, byte* user_id, UIntPtr user_id_len,
            byte* room_id, UIntPtr room_id_len, byte* user_name, UIntPtr user_name_len, byte** kit_out, UIntPtr* kit_len_out, Error** error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int zego_token_decode_kit_info(byte* info, UIntPtr info_len, byte** json_out, UIntPtr* json_len_out, Error** error);

        // Strict UTF-8: a string with an unpaired surrogate is refused, never sent with
        // U+FFFD in its place (which would mint a token for a different user ID).
        internal static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, true);

        static readonly object LoadLock = new object();
        static bool checkedAbi;

        /// <summary>Checks once that the loaded library has the ABI version this assembly was written for.</summary>
        internal static void EnsureLoaded()
        {
            if (checkedAbi)
            {
                return;
            }
            lock (LoadLock)
            {
                if (checkedAbi)
                {
                    return;
                }
                uint abi;
                try
                {
                    abi = zego_token_abi_version();
                }
                catch (DllNotFoundException e)
                {
                    throw new DllNotFoundException("zego-token: cannot load the native library " + Lib
                        + " (build it with `cargo build --release -p zego-token-ffi` and put libzego_token_ffi.so next to the application or on LD_LIBRARY_PATH)", e);
                }
                if (abi != AbiVersion)
                {
                    throw new InvalidOperationException("zego-token: the native library has ABI version " + abi + "; this assembly needs version " + AbiVersion);
                }
                checkedAbi = true;
            }
        }

        /// <summary>UTF-8 bytes of <paramref name="s"/>, or a TokenException naming <paramref name="field"/>.</summary>
        internal static byte[] Bytes(string s, string field, uint officialCode)
        {
            if (s == null)
            {
                throw new InvalidInputException("invalid " + field + ": it is null; pass a string", "invalid_input", StatusInvalidInput, field, officialCode, 0, 0, FixInput);
            }
            try
            {
                return Utf8.GetBytes(s);
            }
            catch (EncoderFallbackException)
            {
                throw new InvalidInputException("invalid " + field + ": it holds an unpaired UTF-16 surrogate, which UTF-8 cannot carry; pass valid text",
                    "invalid_input", StatusInvalidInput, field, officialCode, 0, 0, FixInput);
            }
        }

        internal const string FixInput = "Correct the named input and generate again.";

        internal static string Text(byte* p, UIntPtr len)
        {
            int n = checked((int)len.ToUInt64());
            return n == 0 ? "" : Encoding.UTF8.GetString(p, n);
        }

        internal static string Text(Str s)
        {
            return Text(s.ptr, s.len);
        }

        internal static string CString(byte* p)
        {
            if (p == null)
            {
                return null;
            }
            int n = 0;
            while (p[n] != 0)
            {
                n++;
            }
            return Encoding.UTF8.GetString(p, n);
        }

        /// <summary>The library string in (*p, len), copied, then freed.</summary>
        internal static string TakeString(byte* p, UIntPtr len)
        {
            try
            {
                return Text(p, len);
            }
            finally
            {
                zego_token_string_free(p);
            }
        }

        /// <summary>The exception for a failed call's error (freed here).</summary>
        internal static TokenException Exception(int status, Error* error)
        {
            if (error == null)
            {
                return new TokenException("zego-token: the call failed with status " + status + " and no error", "internal", status, null, 0, 0, 0, "");
            }
            try
            {
                string kind = CString(error->kind);
                string message = CString(error->message);
                string field = CString(error->field);
                string advice = CString(error->advice);
                if (kind == "invalid_input" || kind == "invalid_argument")
                {
                    return new InvalidInputException(message, kind, error->status, field, error->official_code, error->zego_code, error->zim_code, advice);
                }
                if (kind == "internal")
                {
                    return new TokenException(message, kind, error->status, field, error->official_code, error->zego_code, error->zim_code, advice);
                }
                return new InvalidTokenException(message, kind, error->status, field, error->official_code, error->zego_code, error->zim_code, advice);
            }
            finally
            {
                zego_token_error_free(error);
            }
        }

        internal static SdkWarning[] Warnings(Warning* list, UIntPtr count)
        {
            int n = checked((int)count.ToUInt64());
            if (n == 0)
            {
                return EmptyWarnings;
            }
            var warnings = new SdkWarning[n];
            for (int i = 0; i < n; i++)
            {
                Warning* w = list + i;
                warnings[i] = new SdkWarning(CString(w->rule), CString(w->product), w->code == 0 ? (uint?)null : w->code, CString(w->message), w->blocking != 0);
            }
            return warnings;
        }

        internal static readonly SdkWarning[] EmptyWarnings = new SdkWarning[0];

        internal static CipherMode Mode(uint mode)
        {
            return mode == ModeCbc ? CipherMode.Cbc : CipherMode.Gcm;
        }
    }

    /// <summary>The C library's ZegoTokenSecret*: released exactly once, never while a call uses it.</summary>
    internal sealed class SecretHandle : SafeHandle
    {
        SecretHandle() : base(IntPtr.Zero, true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            Native.zego_token_secret_free(handle);
            return true;
        }
    }
}
