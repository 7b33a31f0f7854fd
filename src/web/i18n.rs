//! The interface language. Traditional Chinese (Taiwan) unless a user picks English; each
//! module keeps its own words as one struct per language and picks with [`Lang::pick`], so no
//! shared table has to be edited by every page.

/// A user's interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhTw,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhTw, Lang::En];

    /// The code stored with the user and used in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhTw => "zh-TW",
            Lang::En => "en",
        }
    }

    /// The language named by `code`; anything unknown is the default.
    pub fn from_code(code: &str) -> Lang {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
            .unwrap_or_default()
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::ZhTw => "中文",
            Lang::En => "English",
        }
    }

    /// `zh` when the language is Chinese, else `en`: `Lang::pick(&ZH, &EN)`.
    pub fn pick<T: ?Sized>(self, zh: &'static T, en: &'static T) -> &'static T {
        match self {
            Lang::ZhTw => zh,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn codes_round_trip_and_unknown_is_chinese() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), l);
        }
        assert_eq!(Lang::from_code("fr"), Lang::ZhTw);
    }
}
