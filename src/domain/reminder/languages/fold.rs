//! How the grammar compares words: lower case, the accents of Portuguese
//! and French folded away, the typographic apostrophe made plain.

/// Lower case with the accents of Portuguese and French folded away: how
/// the files write their words and how a message's words are matched.
pub fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ÿ' => 'y',
            '’' => '\'',
            other => other,
        })
        .collect()
}
