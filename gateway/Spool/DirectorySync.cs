using System.Runtime.InteropServices;

namespace LightsOn.Gateway.Spool;

/// <summary>
/// fsync of a folder, so a newly created segment's name survives a power failure as well as
/// its contents (POSIX leaves the directory entry to a separate fsync of the directory; .NET
/// has no API for it). Windows journals names with NTFS metadata, so there it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private static bool _unavailable;

    public static void Flush(string folder)
    {
        if (OperatingSystem.IsWindows() || Volatile.Read(ref _unavailable))
        {
            return;
        }
        try
        {
            int fd = Open(folder, 0 /* O_RDONLY */);
            if (fd < 0)
            {
                return;
            }
            _ = FSync(fd);
            _ = Close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc the runtime cannot find by this name: fall back to what the file system
            // does on its own (in practice ext4 and XFS journal a new name with the file's first fsync).
            Volatile.Write(ref _unavailable, true);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
