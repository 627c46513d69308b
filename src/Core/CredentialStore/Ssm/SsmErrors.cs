using System.Net;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;

namespace Dataraven.Core.CredentialStore.Ssm;

/// <summary>How the store reads a failed SDK call: the deployment's fault, SSM unreachable, or another SSM error.</summary>
internal static class SsmErrors
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AccessDeniedException", "AccessDenied", "NotAuthorized", "UnrecognizedClientException", "InvalidClientTokenId",
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature",
        "MissingAuthenticationToken", "ExpiredTokenException",
    };

    /// <summary>Access or KMS key problems: the deployment is misconfigured and retrying will not help.</summary>
    public static bool IsConfigurationError(AmazonServiceException e) =>
        e is AccessDeniedException or InvalidKeyIdException
        || e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
        || (e.ErrorCode is { } code && (code.StartsWith("KMS", StringComparison.OrdinalIgnoreCase) || AccessCodes.Contains(code)));

    /// <summary>No answer from SSM (refused, reset, timed out), after the SDK's retries.</summary>
    public static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or TimeoutException or IOException or OperationCanceledException
        || (e is AmazonServiceException { StatusCode: 0 } && e.InnerException is { } inner && IsUnreachable(inner));

    /// <summary>A short reason for logs and messages. Never the SDK's message: SSM's validation messages can echo the value.</summary>
    public static string Describe(Exception e) => e switch
    {
        AmazonServiceException { StatusCode: not 0 } api => $"{api.ErrorCode ?? api.GetType().Name}, HTTP {(int)api.StatusCode}",
        AmazonServiceException { InnerException: { } inner } => Describe(inner),
        HttpRequestException http => $"connection failure: {http.HttpRequestError}",
        TimeoutException or OperationCanceledException => "timeout",
        _ => e.GetType().Name,
    };
}
