"""Demo identities: offered for one-click sign-in in demo mode only."""

from miniport.identities import selectors


def test_identities_are_not_demo_unless_made_so(make_identity):
    assert make_identity().is_demo is False


def test_only_demo_identities_are_offered(make_identity):
    demo = make_identity("demo_admin", is_demo=True)
    make_identity("real_user")
    assert list(selectors.demo_identities()) == [demo]


def test_identity_lookup_by_id_ignores_anything_that_is_not_an_id(make_identity):
    identity = make_identity()
    assert selectors.identity_by_id(identity.pk) == identity
    assert selectors.identity_by_id(str(identity.pk)) == identity
    for junk in (None, "", "abc", "1.5", "-1", "0", "99999999999999999999999", [1]):
        assert selectors.identity_by_id(junk) is None
