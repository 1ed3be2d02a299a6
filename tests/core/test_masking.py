from miniport.core.masking import mask


def test_an_id_number_keeps_only_its_first_three_and_last_four_characters():
    assert mask("110101199001011237") == "110***********1237"


def test_a_phone_keeps_only_its_first_three_and_last_four_digits():
    assert mask("13800138000") == "138****8000"


def test_a_value_too_short_to_mask_partially_is_hidden_whole():
    assert mask("1234567") == "*******"
    assert mask("") == ""
