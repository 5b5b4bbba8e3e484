using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Auth;

/// <summary>
/// The tokens: read from the tokens file at start, checked on every <c>/api</c> request,
/// created and revoked by admins. Only SHA-256 hashes of the secrets are kept, in memory and
/// on disk (see <see cref="TokenSecret"/> for why a fast hash is enough).
/// </summary>
/// <remarks>
/// Reads take an immutable snapshot without a lock; changes are serialized under one lock,
/// written to the file first (a temporary file renamed over the old one, owner-only on Unix)
/// and only then put in force, so what is in force is always what a restart will read.
/// </remarks>
internal sealed class TokenStore(IOptions<AuthOptions> options, TimeProvider time, ILogger<TokenStore> logger)
{
    public const string BootstrapAdminName = "bootstrap admin";
    public const string FirstAdminName = "first admin";

    private readonly Lock _lock = new();
    private Snapshot _current = Snapshot.Of([]);
    private bool _fileExisted;

    /// <summary>Where the tokens are written; null once the default data folder turned out not writable.</summary>
    private string? _path;

    public IReadOnlyList<StoredToken> Tokens => Volatile.Read(ref _current).Tokens;

    /// <summary>
    /// Reads the tokens file if there is one, then puts <c>Auth:BootstrapAdminToken</c> in as an
    /// admin token unless the file already has it (revoked stays revoked). A file that cannot
    /// be read stops the start, naming <c>Auth:TokensPath</c>.
    /// </summary>
    public void Open()
    {
        var settings = options.Value;
        string path = settings.ResolvedPath;
        lock (_lock)
        {
            _path = path;
            _fileExisted = File.Exists(path);
            if (_fileExisted)
            {
                Volatile.Write(ref _current, Snapshot.Of(Read(path)));
            }
            var current = _current;
            logger.TokensLoaded(path, current.Tokens.Count, current.Tokens.Count(t => !t.Revoked && t.Role == AccessRole.Admin.ToWire()));

            string? bootstrap = settings.BootstrapAdminToken;
            if (!string.IsNullOrEmpty(bootstrap) && !current.ByHash.ContainsKey(Convert.ToHexStringLower(TokenSecret.Hash(bootstrap))))
            {
                var token = Add(bootstrap, AccessRole.Admin, [], null, BootstrapAdminName);
                logger.TokenCreated(token.Id, token.Role, "Auth:BootstrapAdminToken");
            }
        }
    }

    /// <summary>
    /// On the very first start (no tokens file, no bootstrap token): makes up an admin token and
    /// returns its secret, for the console and nowhere else. Otherwise null.
    /// </summary>
    public string? CreateFirstAdmin()
    {
        lock (_lock)
        {
            if (_fileExisted || _current.Tokens.Count > 0)
            {
                return null;
            }
            string secret = TokenSecret.Generate();
            var token = Add(secret, AccessRole.Admin, [], null, FirstAdminName);
            logger.FirstAdminTokenCreated(token.Id);
            return secret;
        }
    }

    /// <summary>The caller a secret stands for, or null when it is unknown or revoked.</summary>
    public Caller? Authenticate(string secret)
    {
        if (secret.Length > TokenSecret.MaxLength)
        {
            return null;
        }
        byte[] hash = TokenSecret.Hash(secret);
        // The lookup compares hashes, so its timing can only tell an attacker about the hash of
        // what they sent themselves, never about a stored secret. The fixed-time comparison
        // after it is the check that decides, and keeps that true whatever the dictionary does.
        if (!Volatile.Read(ref _current).ByHash.TryGetValue(Convert.ToHexStringLower(hash), out var entry))
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(hash, entry.Hash) && !entry.Token.Revoked ? entry.Caller : null;
    }

    /// <summary>Makes a token; the secret is returned here once and kept nowhere.</summary>
    /// <param name="createdBy">For the log line: the id of the admin token that asked.</param>
    public (StoredToken Token, string Secret) Create(AccessRole role, IReadOnlyList<string> communities, string? household, string name, string createdBy)
    {
        string secret = TokenSecret.Generate();
        StoredToken token;
        lock (_lock)
        {
            token = Add(secret, role, communities, household, name);
        }
        logger.TokenCreated(token.Id, token.Role, createdBy);
        return (token, secret);
    }

    public TokenRevocation Revoke(string id, string revokedBy)
    {
        StoredToken revoked;
        lock (_lock)
        {
            var tokens = _current.Tokens;
            int index = -1;
            for (int i = 0; i < tokens.Count; i++)
            {
                if (tokens[i].Id == id)
                {
                    index = i;
                    break;
                }
            }
            if (index < 0)
            {
                return TokenRevocation.NotFound;
            }
            var token = tokens[index];
            if (token.Revoked)
            {
                return TokenRevocation.AlreadyRevoked;
            }
            string admin = AccessRole.Admin.ToWire();
            if (token.Role == admin && tokens.Count(t => !t.Revoked && t.Role == admin) == 1)
            {
                return TokenRevocation.LastAdmin;
            }
            revoked = token with { Revoked = true };
            var changed = tokens.ToList();
            changed[index] = revoked;
            Commit(changed);
        }
        logger.TokenRevoked(revoked.Id, revoked.Role, revokedBy);
        return TokenRevocation.Revoked;
    }

    private StoredToken Add(string secret, AccessRole role, IReadOnlyList<string> communities, string? household, string name)
    {
        var token = new StoredToken(
            "t-" + RandomNumberGenerator.GetHexString(12, lowercase: true),
            role.ToWire(),
            communities,
            household,
            name,
            // Whole milliseconds: the API shows this date, and ticks say nothing more to anyone.
            DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()),
            Convert.ToHexStringLower(TokenSecret.Hash(secret)),
            Revoked: false);
        Commit([.. _current.Tokens, token]);
        return token;
    }

    // Under _lock. The file first: a change that could not be written is not in force.
    private void Commit(IReadOnlyList<StoredToken> tokens)
    {
        if (_path is { } path)
        {
            try
            {
                Write(path, tokens);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && options.Value.UsesDefaultPath && !_fileExisted)
            {
                // A gateway whose default data folder is not writable (a read-only home, a
                // locked-down service account) still starts; its tokens last until it stops.
                // Not when a file is there: a revocation that did not reach it would be
                // undone by the next start.
                logger.TokensKeptInMemory(path, e.Message);
                _path = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Auth:TokensPath: the tokens file '{path}' cannot be written: {e.Message}", e);
            }
        }
        Volatile.Write(ref _current, Snapshot.Of(tokens));
    }

    private static void Write(string path, IReadOnlyList<StoredToken> tokens)
    {
        string folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}.tmp");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Hashes only, but still nobody else's business: who has which token, and when.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temp, fileOptions))
            {
                JsonSerializer.Serialize(stream, new TokensFile(TokensFile.CurrentVersion, tokens), TokensFileJsonContext.Default.TokensFile);
                stream.Flush(flushToDisk: true);
            }
            // A rename replaces the file whole: a crash leaves the old file or the new one, never half of one.
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        Spool.DirectorySync.Flush(folder);
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write's own failure is the one to report; a stray temporary file is harmless.
        }
    }

    private static List<StoredToken> Read(string path)
    {
        TokensFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), TokensFileJsonContext.Default.TokensFile);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Auth:TokensPath: '{path}' is not a tokens file: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Auth:TokensPath: the tokens file '{path}' cannot be read: {e.Message}", e);
        }
        if (file is null || file.Version != TokensFile.CurrentVersion || file.Tokens is null)
        {
            throw new InvalidDataException($"Auth:TokensPath: '{path}' is not a tokens file of version {TokensFile.CurrentVersion}.");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < file.Tokens.Count; i++)
        {
            var token = file.Tokens[i];
            string? problem =
                token is null ? "is null"
                : string.IsNullOrEmpty(token.Id) || !ids.Add(token.Id) ? "has no id or the id of another token"
                : !AccessRoleNames.TryParse(token.Role, out _) ? $"role must be one of {AccessRoleNames.All}"
                : token.Sha256 is not { Length: 64 } || !token.Sha256.All(char.IsAsciiHexDigitLower) ? "sha256 must be 64 lower-case hex digits"
                : token.Communities is null || token.Name is null ? "needs communities and name"
                : null;
            if (problem is not null)
            {
                throw new InvalidDataException($"Auth:TokensPath: '{path}': $.tokens[{i}] {problem}.");
            }
        }
        return [.. file.Tokens];
    }

    private sealed record Entry(StoredToken Token, byte[] Hash, Caller Caller);

    private sealed record Snapshot(IReadOnlyList<StoredToken> Tokens, FrozenDictionary<string, Entry> ByHash)
    {
        public static Snapshot Of(IReadOnlyList<StoredToken> tokens)
        {
            var byHash = new Dictionary<string, Entry>(tokens.Count, StringComparer.Ordinal);
            foreach (var token in tokens)
            {
                AccessRoleNames.TryParse(token.Role, out var role);
                var caller = new Caller(token.Id, role, token.Communities.ToFrozenSet(StringComparer.Ordinal), token.Household, token.Name);
                byHash[token.Sha256] = new Entry(token, Convert.FromHexString(token.Sha256), caller);
            }
            return new Snapshot(tokens, byHash.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }
}
