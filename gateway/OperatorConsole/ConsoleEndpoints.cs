using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace LightsOn.Gateway.OperatorConsole;

/// <summary>
/// The operator console at <c>/</c>: static files from <c>wwwroot</c> next to the assembly
/// (copied to the output folder, since the content root is the assembly's folder). They need
/// no token: the page asks for one and sends it on every API call.
/// </summary>
internal static class ConsoleEndpoints
{
    // The page holds a token: it runs only its own scripts, talks only to its own gateway,
    // and cannot be framed by another site.
    private const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseConsole(this IApplicationBuilder app)
    {
        var environment = app.ApplicationServices.GetRequiredService<IWebHostEnvironment>();
        string root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            throw new InvalidOperationException($"The console's files are missing: {root} does not exist. Build the gateway project, which copies gateway/wwwroot there.");
        }
        var files = new PhysicalFileProvider(root);
        environment.WebRootPath = root;
        environment.WebRootFileProvider = files;

        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidate every time (ETag): an upgraded gateway serves its new console at once.
                headers[HeaderNames.CacheControl] = "no-cache";
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
        return app;
    }
}
