using Dataraven.Core.Common;
using FluentValidation.Results;

namespace Dataraven.Tests.Unit.Validation;

public class ValidationExtensionsTests
{
    [Fact]
    public void ToValidationProblem_SeveralFailures_GroupsMessagesPerKeyInOrder()
    {
        var result = new ValidationResult(
        [
            new ValidationFailure("access_token", "Access token is required."),
            new ValidationFailure("field_mappings", "A is not mapped."),
            new ValidationFailure("field_mappings", "B is not mapped."),
            new ValidationFailure("field_mappings", "B is not mapped."),
        ]);

        var problem = result.ToValidationProblem();

        Assert.Equal("validation_failed", problem.Code);
        Assert.Equal(new[] { "access_token", "field_mappings" }, problem.Errors.Keys);
        Assert.Equal(new[] { "A is not mapped.", "B is not mapped." }, problem.Errors["field_mappings"]);
    }

    [Fact]
    public void ToValidationProblem_Valid_HasNoErrors()
    {
        Assert.Empty(new ValidationResult().ToValidationProblem().Errors);
    }
}
