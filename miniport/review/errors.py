"""Refusals of the review machine: moves its state table does not allow, claims held by
someone else, reviewers who belong to what they review."""

from miniport.core.errors import ErrorCode


class ReviewError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message[, the code it is a variant of])
    ILLEGAL_MOVE = (
        None,
        "审核状态为“{state}”，不能执行“{action}”",
        "a review in state {state} cannot {action}",
    )
    ALREADY_OPEN = (
        None,
        "该对象已有一个审核在进行中",
        "this target already has a review in progress",
    )
    CLAIMED_BY_OTHER = (
        None,
        "该审核已由 {who} 认领",
        "this review is claimed by {who}",
    )
    NOT_CLAIMED_BY_YOU = (
        None,
        "你没有认领该审核",
        "you do not hold the claim on this review",
    )
    REVIEWER_IS_MEMBER = (
        None,
        "你是该小程序的成员，不能审核它",
        "you are a member of this mini program and cannot review it",
    )
    REVIEWER_ONLY = (
        None,
        "只有平台审核人员可以执行此操作",
        "only platform reviewers may do this",
    )
