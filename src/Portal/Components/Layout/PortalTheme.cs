using MudBlazor;

namespace Dataraven.Portal.Components.Layout;

/// <summary>The portal's light and dark palettes; pages take colours from the theme, not from CSS overrides.</summary>
public static class PortalTheme
{
    /// <summary>The cookie that remembers the choice (read at prerender, so the first paint has the right colours).</summary>
    public const string Cookie = "dr-theme";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4340d2",
            Secondary = "#0f766e",
            AppbarBackground = "#1e1b4b",
            AppbarText = "#ffffff",
            Background = "#f8fafc",
            DrawerBackground = "#ffffff",
            TextPrimary = "#0f172a",
            TextSecondary = "#475569",
            Error = "#b91c1c",
            Warning = "#b45309",
            Success = "#15803d",
            // MudBlazor's #2196f3 under white chip text is 3.0:1; this blue is 5.9:1 (WCAG AA), as text on white too.
            Info = "#0369a1",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8b8aff",
            Secondary = "#2dd4bf",
            AppbarBackground = "#111027",
            Background = "#0f1020",
            Surface = "#1a1b2e",
            DrawerBackground = "#15162a",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#a1a1aa",
            Error = "#f87171",
            Warning = "#fbbf24",
            Success = "#4ade80",
            // These fills are light: white text on them is under 3:1 (filled buttons, the plan and "You" chips), dark ink is over 6:1.
            PrimaryContrastText = "#0f1020",
            SuccessContrastText = "#0f1020",
            InfoContrastText = "#0f1020",
            WarningContrastText = "#0f1020",
            ErrorContrastText = "#0f1020",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Inter", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"] },
        },
    };
}
